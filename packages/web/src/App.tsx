import { useQueryClient } from "@tanstack/react-query";
import { Component, Suspense, lazy } from "react";
import type { ComponentType, ErrorInfo, ReactNode } from "react";
import { Link, NavLink, Navigate, Route, Routes, useLocation, useNavigate, useParams } from "react-router";
import { api, rememberCsrfToken } from "./api";
import { useApplyBrand, useBrand } from "./brand";
import { LoginPage } from "./pages/LoginPage";
import { EnrolmentGate } from "./pages/customer/auth/TwoFactorSection";
import { ServersPage } from "./pages/ServersPage";
import { isAdmin, useSession } from "./session";

/** A page in its own chunk: only the servers list and the login page load with the portal. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const CreateServerPage = page(() => import("./pages/CreateServerPage"), "CreateServerPage");
const ServerPage = page(() => import("./pages/ServerPage"), "ServerPage");
const RemoteServerPage = page(() => import("./pages/remote/RemoteServerPage"), "RemoteServerPage");
const SignupPage = page(() => import("./pages/customer/SignupPage"), "SignupPage");
const VerifyEmailPage = page(() => import("./pages/customer/VerifyEmailPage"), "VerifyEmailPage");
const ForgotPasswordPage = page(() => import("./pages/customer/ForgotPasswordPage"), "ForgotPasswordPage");
const ResetPasswordPage = page(() => import("./pages/customer/ResetPasswordPage"), "ResetPasswordPage");
const AcceptInvitationPage = page(
  () => import("./pages/customer/AcceptInvitationPage"),
  "AcceptInvitationPage",
);
const SshKeysPage = page(() => import("./pages/customer/SshKeysPage"), "SshKeysPage");
const ImagesPage = page(() => import("./pages/customer/ImagesPage"), "ImagesPage");
const InvoicesPage = page(() => import("./pages/customer/InvoicesPage"), "InvoicesPage");
const InvoicePage = page(() => import("./pages/customer/InvoicePage"), "InvoicePage");
const TicketsPage = page(() => import("./pages/customer/TicketsPage"), "TicketsPage");
const TicketPage = page(() => import("./pages/customer/TicketPage"), "TicketPage");
const AccountPage = page(() => import("./pages/customer/AccountPage"), "AccountPage");
const DashboardPage = page(() => import("./pages/admin/DashboardPage"), "DashboardPage");
const HostsPage = page(() => import("./pages/admin/HostsPage"), "HostsPage");
const SitesPage = page(() => import("./pages/admin/SitesPage"), "SitesPage");
const PlansPage = page(() => import("./pages/admin/PlansPage"), "PlansPage");
const CodesPage = page(() => import("./pages/admin/CodesPage"), "CodesPage");
const AccountsPage = page(() => import("./pages/admin/AccountsPage"), "AccountsPage");
const AuditPage = page(() => import("./pages/admin/AuditPage"), "AuditPage");
const BrandingPage = page(() => import("./pages/admin/BrandingPage"), "BrandingPage");
const FederationPage = page(() => import("./pages/admin/federation/FederationPage"), "FederationPage");

export function App() {
  const brand = useBrand();
  const location = useLocation();
  useApplyBrand(brand);
  return (
    <Suspense fallback={<p className="loading">Loading…</p>}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignupPage />} />
        <Route path="/verify-email" element={<VerifyEmailPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
        <Route
          path="/*"
          element={
            <RequireSession>
              <Layout>
                <PageErrorBoundary path={location.pathname}>
                  <Suspense fallback={<p className="loading">Loading…</p>}>
                    <Routes>
                      <Route index element={<Navigate to="/servers" replace />} />
                      <Route path="servers" element={<ServersPage />} />
                      <Route path="servers/new" element={<CreateServerPage />} />
                      <Route path="servers/:id" element={<ServerRoute />} />
                      <Route path="images" element={<ImagesPage />} />
                      <Route path="ssh-keys" element={<SshKeysPage />} />
                      <Route path="invoices" element={<InvoicesPage />} />
                      <Route path="invoices/:id" element={<InvoicePage />} />
                      <Route path="tickets" element={<TicketsPage />} />
                      <Route path="tickets/:id" element={<TicketPage />} />
                      <Route path="account" element={<AccountPage />} />
                      <Route path="admin" element={<RequireAdmin page={DashboardPage} />} />
                      <Route path="admin/hosts" element={<RequireAdmin page={HostsPage} providerOnly />} />
                      <Route path="admin/sites" element={<RequireAdmin page={SitesPage} providerOnly />} />
                      <Route path="admin/plans" element={<RequireAdmin page={PlansPage} />} />
                      <Route path="admin/codes" element={<RequireAdmin page={CodesPage} />} />
                      <Route path="admin/accounts" element={<RequireAdmin page={AccountsPage} />} />
                      <Route path="admin/audit" element={<RequireAdmin page={AuditPage} />} />
                      <Route path="admin/branding" element={<RequireAdmin page={BrandingPage} />} />
                      <Route
                        path="admin/federation"
                        element={<RequireAdmin page={FederationPage} providerOnly />}
                      />
                      <Route path="*" element={<NotFound />} />
                    </Routes>
                  </Suspense>
                </PageErrorBoundary>
              </Layout>
            </RequireSession>
          }
        />
      </Routes>
    </Suspense>
  );
}

/**
 * A server's page: this installation's own, or one at a partner's site, told apart by its id's
 * prefix (`rsv_`, as the CLI does), so both live at /servers/<id>.
 */
function ServerRoute() {
  const { id = "" } = useParams();
  return id.startsWith("rsv_") ? <RemoteServerPage /> : <ServerPage />;
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
    // Where the user was going (or what they were doing when the session expired) comes back after login.
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <EnrolmentGate me={session.data}>{children}</EnrolmentGate>;
}

function RequireAdmin({ page: Page, providerOnly }: { page: ComponentType; providerOnly?: boolean }) {
  const me = useSession().data;
  const allowed = providerOnly ? me?.role === "provider-admin" : isAdmin(me);
  return allowed ? <Page /> : <NotFound />;
}

function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const brand = useBrand();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = session.data;

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
          {brand.logo_url && <img src={brand.logo_url} alt="" className="brand-logo" />}
          <span className="brand-name">{brand.name}</span>
        </Link>
        <nav aria-label="Main">
          <NavLink to="/servers" end>
            Servers
          </NavLink>
          <NavLink to="/servers/new">New server</NavLink>
          <NavLink to="/images">Images</NavLink>
          <NavLink to="/ssh-keys">SSH keys</NavLink>
          <NavLink to="/invoices">Invoices</NavLink>
          <NavLink to="/tickets">Support</NavLink>
        </nav>
        <div className="account">
          <NavLink to="/account" className="muted">
            {me?.email}
          </NavLink>
          <button type="button" className="link" onClick={() => void logOut()}>
            Log out
          </button>
        </div>
      </header>
      {isAdmin(me) && (
        <nav aria-label={me?.role === "provider-admin" ? "Provider" : "Reseller"} className="adminbar">
          <NavLink to="/admin" end>
            Dashboard
          </NavLink>
          {me?.role === "provider-admin" && <NavLink to="/admin/hosts">Hosts</NavLink>}
          {me?.role === "provider-admin" && <NavLink to="/admin/sites">Sites</NavLink>}
          <NavLink to="/admin/plans">Plans and prices</NavLink>
          <NavLink to="/admin/codes">Codes</NavLink>
          <NavLink to="/admin/accounts">Customers</NavLink>
          <NavLink to="/admin/audit">Audit log</NavLink>
          <NavLink to="/admin/branding">Branding</NavLink>
          {me?.role === "provider-admin" && <NavLink to="/admin/federation">Federation</NavLink>}
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/**
 * A page that fails to load or render says so instead of leaving a blank screen. The usual
 * cause is a portal upgraded while the tab was open: the old page chunks are gone, and a
 * reload fetches the new ones.
 */
class PageErrorBoundary extends Component<{ children: ReactNode; path: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(previous: { path: string }) {
    // Going to another page leaves the error behind.
    if (previous.path !== this.props.path && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("page failed", error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section role="alert">
        <h1>This page could not be shown</h1>
        <p className="error">{this.state.error.message}</p>
        <p>If the portal was just updated, reloading fetches the new version.</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </section>
    );
  }
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
