import { useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, NavLink, Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { api, rememberCsrfToken } from "./api";
import { CreateServerPage } from "./pages/CreateServerPage";
import { LoginPage } from "./pages/LoginPage";
import { ServerPage } from "./pages/ServerPage";
import { ServersPage } from "./pages/ServersPage";
import { useSession } from "./session";

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/*"
        element={
          <RequireSession>
            <Layout>
              <Routes>
                <Route index element={<Navigate to="/servers" replace />} />
                <Route path="servers" element={<ServersPage />} />
                <Route path="servers/new" element={<CreateServerPage />} />
                <Route path="servers/:id" element={<ServerPage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Layout>
          </RequireSession>
        }
      />
    </Routes>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <p className="loading">Loading…</p>;
  if (session.isError) {
    return (
      <p role="alert" className="error">
        The controller did not answer: {session.error.message}
      </p>
    );
  }
  if (!session.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return children;
}

function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  async function logOut() {
    await api.DELETE("/auth/session");
    rememberCsrfToken(null);
    queryClient.clear();
    await navigate("/login");
  }

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/servers" className="brand">
          Layerboom
        </Link>
        <nav aria-label="Main">
          <NavLink to="/servers" end>
            Servers
          </NavLink>
          <NavLink to="/servers/new">New server</NavLink>
        </nav>
        <div className="account">
          <span className="muted">{session.data?.email}</span>
          <button type="button" className="link" onClick={() => void logOut()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <Link to="/servers">Back to your servers</Link>
      </p>
    </section>
  );
}
