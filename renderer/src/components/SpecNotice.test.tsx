// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecNotice } from './SpecNotice.js';

afterEach(cleanup);

const warning = (line: number, path: string, message: string) => ({ file: '/courses/shop/compose.yml', line, column: 5, path, message });

describe("This course's spec", () => {
  it('lists each warning with its line, key and why', () => {
    render(
      <SpecNotice
        file="/courses/shop/compose.yml"
        warnings={[
          warning(7, 'services.web.ports[0]', 'an empty host address (in Compose: every network interface) is not this computer only: Coursedock publishes the port on 127.0.0.1 instead'),
          warning(12, 'services.web.logging', '`logging` is not supported by Coursedock and is ignored'),
        ]}
      />,
    );
    const notice = screen.getByRole('region', { name: 'This course’s spec' });
    expect(notice.textContent).toContain('2 things in compose.yml that Coursedock ignores or does differently, and why:');
    const items = within(notice).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'line 7 · services.web.ports[0]an empty host address (in Compose: every network interface) is not this computer only: Coursedock publishes the port on 127.0.0.1 instead',
      'line 12 · services.web.logging`logging` is not supported by Coursedock and is ignored',
    ]);
    expect(within(notice).queryByRole('button')).toBeNull();
  });

  it('folds a long list after three, and unfolds it on request', async () => {
    const user = userEvent.setup();
    const warnings = Array.from({ length: 5 }, (_, i) => warning(i + 1, `services.s${i}.expose`, `ignored ${i}`));
    render(<SpecNotice file="/c/compose.yml" warnings={warnings} />);
    const notice = screen.getByRole('region', { name: 'This course’s spec' });
    expect(within(notice).getAllByRole('listitem')).toHaveLength(3);
    await user.click(within(notice).getByRole('button', { name: 'Show all 5' }));
    expect(within(notice).getAllByRole('listitem')).toHaveLength(5);
    expect(within(notice).getByRole('button', { name: 'Show fewer' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('shows nothing for a spec without warnings', () => {
    const { container } = render(<SpecNotice file="/c/compose.yml" warnings={[]} />);
    expect(container.textContent).toBe('');
  });
});
