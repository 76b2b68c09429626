// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classroomMode } from './classroom-mode.js';
import { SignIn } from './SignIn.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('SignIn', () => {
  it('sends the typed code once, to the front door, and moves on when it is right', async () => {
    const fetchMock = vi.fn(() => Promise.resolve(new Response('{"role":"student"}', { status: 200 })));
    vi.stubGlobal('fetch', fetchMock);
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} />);
    fireEvent.change(screen.getByLabelText('Access code'), { target: { value: 'abcd-efgh-jkmn' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(fetchMock).toHaveBeenCalledWith('/signin', expect.objectContaining({ method: 'POST', body: '{"code":"abcd-efgh-jkmn"}' }));
  });

  it('says in words when the code is wrong, and when a link’s code was', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(new Response('{"message":"That code is not right."}', { status: 401 }))));
    render(<SignIn onSignedIn={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Access code'), { target: { value: 'AAAA-AAAA-AAAA' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That code is not right.');
  });

  it('tells the link’s failure from the address', () => {
    window.history.replaceState(null, '', '/?signin=wrong-code');
    render(<SignIn onSignedIn={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toMatch(/code in that link is not right/);
  });
});

describe('classroomMode', () => {
  it('reads the page the front door served, and nothing on a laptop', () => {
    const doc = (content?: string) => ({ querySelector: () => (content === undefined ? null : ({ content } as HTMLMetaElement)) }) as unknown as Document;
    expect(classroomMode(doc('tutor'))).toBe('tutor');
    expect(classroomMode(doc('student'))).toBe('student');
    expect(classroomMode(doc('admin'))).toBeUndefined();
    expect(classroomMode(doc())).toBeUndefined();
  });
});
