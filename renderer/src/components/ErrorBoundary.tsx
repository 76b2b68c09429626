// The last line of defence: a bug in the panel shows words and a reload button, never a blank
// window or a stack trace.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error('Coursedock panel error', error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="screen">
        <div className="screen__card" role="alert">
          <h1>Something went wrong in the panel</h1>
          <p className="screen__lead">
            Your services are not affected: they keep running. Reloading the panel usually fixes this. ({this.state.error.message})
          </p>
          <div className="screen__actions">
            <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
              Reload the panel
            </button>
          </div>
        </div>
      </main>
    );
  }
}
