import type { PartnerSite, Site } from "../../../api";
import { Field } from "../../../components/Field";
import type { SiteEnergyFigures } from "../energy";
import { countryName, flag } from "../format";
import { Card, Choices, PartnerSiteCard, SiteCard, Step } from "./cards";
import { partnerSiteFigures } from "./partner-sites";

/**
 * Step 1: the provider's own sites first, "anywhere", then partners' sites, each labelled with
 * the partner that operates it and its jurisdiction. `siteId` "" is anywhere.
 */
export function WhereStep(props: {
  sites: Site[] | undefined;
  sitesLoading: boolean;
  partnerSites: PartnerSite[];
  figures: Map<string, SiteEnergyFigures>;
  siteId: string;
  onChoose: (siteId: string) => void;
  error: string | undefined;
}) {
  const { sites, partnerSites, figures, siteId, onChoose } = props;
  // Only the sites with a price or carbon figure take part in "cheapest" and "cleanest".
  const priced = [...figures].filter(([, f]) => f.priceNowPerKwhMinor !== undefined);
  const cheapest =
    priced.length > 1 && new Set(priced.map(([, f]) => f.currency)).size === 1
      ? priced.reduce((a, b) => (b[1].priceNowPerKwhMinor! < a[1].priceNowPerKwhMinor! ? b : a))[0]
      : undefined;
  const withCarbon = [...figures].filter(([, f]) => f.carbonNowGPerKwh !== undefined);
  const cleanest =
    withCarbon.length > 1
      ? withCarbon.reduce((a, b) => (b[1].carbonNowGPerKwh! < a[1].carbonNowGPerKwh! ? b : a))[0]
      : undefined;

  return (
    <Step number={1} title="Where it runs">
      <Field
        label="Site"
        hint="Your server and its disk stay in the country of the site you choose."
        error={props.error}
      >
        {(fieldProps) => (
          <select {...fieldProps} name="site_id" value={siteId} onChange={(e) => onChoose(e.target.value)}>
            <option value="">Any site: the cheapest, cleanest power now</option>
            {sites?.map((s) => (
              <option key={s.id} value={s.id}>
                {flag(s.country_code)} {s.name} ({s.region_code}, {countryName(s.country_code)})
              </option>
            ))}
            {partnerSites.length > 0 && (
              <optgroup label="Operated by partners">
                {partnerSites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {flag(s.country_code)} {s.name} ({s.jurisdiction || s.country_code},{" "}
                    {countryName(s.country_code)}), operated by {s.operated_by}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        )}
      </Field>
      <Choices
        loading={props.sitesLoading}
        empty={sites?.length === 0 && partnerSites.length === 0 && "No locations are open yet."}
      >
        {sites?.map((s) => (
          <SiteCard
            key={s.id}
            site={s}
            figures={figures.get(s.id)}
            cheapest={s.id === cheapest}
            cleanest={s.id === cleanest}
            selected={s.id === siteId}
            onSelect={() => onChoose(s.id)}
          />
        ))}
        {(sites?.length ?? 0) > 1 && (
          <Card selected={siteId === ""} onSelect={() => onChoose("")}>
            <span className="wiz-card-title">
              <span aria-hidden="true">⚡</span> Anywhere
            </span>
            <span className="muted">Placed where power is cheapest and cleanest when it starts.</span>
          </Card>
        )}
      </Choices>
      {partnerSites.length > 0 && (
        <>
          <h3 className="wiz-subhead">At our partners&rsquo; sites</h3>
          <p className="hint">
            Run by a partner provider in its own data centre; you create, manage and pay for it here, at these
            prices. Daily backups and extra addresses are not offered there yet.
          </p>
          <div className="wiz-cards">
            {partnerSites.map((s) => (
              <PartnerSiteCard
                key={s.id}
                site={s}
                figures={partnerSiteFigures(s)}
                selected={s.id === siteId}
                onSelect={() => onChoose(s.id)}
              />
            ))}
          </div>
        </>
      )}
    </Step>
  );
}
