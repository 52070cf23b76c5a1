import { InvitationsSection } from "./InvitationsSection";
import { OffersReceivedSection } from "./OffersReceivedSection";
import { PeersSection } from "./PeersSection";
import { ProfileSection } from "./ProfileSection";
import { ReconciliationSection } from "./ReconciliationSection";
import { RemoteServersSection } from "./RemoteServersSection";

/**
 * Federation, for provider admins (docs/federation.md): this installation's public profile, the
 * peers it trusts and in what state, the offers they make it (with this installation's markup and
 * retail prices), the servers customers run at partners' sites, and the one-time invitations that
 * start a peering.
 */
export function FederationPage() {
  return (
    <section>
      <div className="page-head">
        <h1>Federation</h1>
      </div>
      <p className="muted">
        Partner installations run servers for your customers at their sites, and yours for theirs. Every
        request between two installations is signed with their keys; a peer is trusted only once you have
        compared its key fingerprint with its admin, out of band, and approved it.
      </p>
      <ProfileSection />
      <PeersSection />
      <OffersReceivedSection />
      <RemoteServersSection />
      <ReconciliationSection />
      <InvitationsSection />
    </section>
  );
}
