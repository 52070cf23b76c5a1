import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, api, newIdempotencyKey, fieldError, unwrap } from "../api";
import { Field } from "../components/Field";
import { LocalError, errorFor } from "../components/errors";
import { siteEnergyFigures } from "./server/energy";
import type { SiteEnergyFigures } from "./server/energy";
import { memory, money } from "./server/format";
import { Choices, ImageCard, PlanCard, Step, cpus } from "./server/wizard/cards";
import type { WizardPlan } from "./server/wizard/cards";
import { LoginStep } from "./server/wizard/LoginStep";
import { suggestName } from "./server/wizard/names";
import { partnerSiteFigures } from "./server/wizard/partner-sites";
import { Summary } from "./server/wizard/Summary";
import type { SummaryLocation } from "./server/wizard/Summary";
import { WhereStep } from "./server/wizard/WhereStep";
import "./server/wizard.css";

const FIELDS = ["name", "site_id", "plan_id", "image_id", "ssh_key_ids", "extra_ipv4"];
/** The most extra IPv4 addresses a server may be created with (the API's limit). */
const MAX_EXTRA_IPV4 = 16;

export function CreateServerPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Choices the user made; null until then, and the page shows its default.
  const [typedName, setTypedName] = useState<string | null>(null);
  const [siteChoice, setSiteChoice] = useState<string | null>(null);
  const [planChoice, setPlanChoice] = useState("");
  const [imageChoice, setImageChoice] = useState<string | null>(null);
  const [keyChoice, setKeyChoice] = useState<string[] | null>(null);
  const [backups, setBackups] = useState(false);
  const [extraIpv4Text, setExtraIpv4Text] = useState("0");
  const [suffix] = useState(() => String(Math.floor(Math.random() * 90) + 10));
  // A resubmit after a lost answer reuses the key, so it creates one server, not two. Once the API
  // has answered with a refusal, the corrected form is a new request and needs a new key.
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());

  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: async () => unwrap(await api.GET("/sites", { params: { query: { limit: 100 } } })).items,
  });
  // Partners' sites sold here (docs/federation.md, "Offers"); none for whoever is not sold them.
  // Without them the wizard still offers the provider's own sites.
  const partnerSites = useQuery({
    queryKey: ["partner-sites"],
    retry: false,
    queryFn: async () => unwrap(await api.GET("/partner-sites", { params: { query: { limit: 100 } } })).items,
  });
  const plans = useQuery({
    queryKey: ["plans"],
    queryFn: async () =>
      unwrap(await api.GET("/plans", { params: { query: { active: true, limit: 100 } } })).items,
  });
  const images = useQuery({
    queryKey: ["images"],
    queryFn: async () =>
      unwrap(await api.GET("/images", { params: { query: { limit: 100 } } })).items.filter(
        (i) => i.status === "available",
      ),
  });
  const keys = useQuery({
    queryKey: ["ssh-keys"],
    queryFn: async () => unwrap(await api.GET("/ssh-keys", { params: { query: { limit: 100 } } })).items,
  });
  // Every site's price and carbon now and on average, computed by the controller for any role.
  // Without it the wizard still works, only without the energy figures.
  const energyNow = useQuery({
    queryKey: ["sites", "energy-now"],
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: async () => unwrap(await api.GET("/sites/energy-now")).items,
  });
  const figures = new Map<string, SiteEnergyFigures>(
    (energyNow.data ?? []).map((e) => [e.site_id, siteEnergyFigures(e)]),
  );

  const siteId = siteChoice ?? sites.data?.[0]?.id ?? "";
  const imageId = imageChoice ?? images.data?.[0]?.id ?? "";
  const keyIds = keyChoice ?? keys.data?.map((k) => k.id) ?? [];
  const site = sites.data?.find((s) => s.id === siteId);
  const partnerSite = partnerSites.data?.find((s) => s.id === siteId);
  // A partner's site sells its own plans, at this provider's retail prices.
  const planList: WizardPlan[] | undefined = partnerSite ? partnerSite.plans : plans.data;
  const localPlan = partnerSite ? undefined : plans.data?.find((p) => p.id === planChoice);
  const plan = planList?.find((p) => p.id === planChoice);
  const planId = plan ? planChoice : "";
  const image = images.data?.find((i) => i.id === imageId);
  const name =
    typedName ?? suggestName([image?.name, plan?.name, (site ?? partnerSite)?.region_code], suffix);
  // Extra addresses exist only where the site hands out public ones; partners' sites have none yet.
  const publicIpv4 = site?.public_ipv4 === true;
  const extraIpv4 = publicIpv4 ? Number(extraIpv4Text.trim() || "0") : 0;
  const location: SummaryLocation | null | undefined =
    siteId === ""
      ? null
      : partnerSite
        ? {
            name: partnerSite.name,
            countryCode: partnerSite.country_code,
            operatedBy: partnerSite.operated_by,
          }
        : site && { name: site.name, countryCode: site.country_code };

  const create = useMutation({
    mutationFn: async (): Promise<{ id: string }> => {
      const headers = { "idempotency-key": idempotencyKey };
      if (partnerSite) {
        // The partner is asked by a durable job: the answer is the server as this installation keeps it.
        return unwrap(
          await api.POST("/remote-servers", {
            body: { name, site_id: siteId, plan_id: planId, image_id: imageId, ssh_key_ids: keyIds },
            headers,
          }),
        );
      }
      if (!Number.isInteger(extraIpv4) || extraIpv4 < 0 || extraIpv4 > MAX_EXTRA_IPV4)
        throw new LocalError("extra_ipv4", `A whole number from 0 to ${MAX_EXTRA_IPV4}.`);
      return unwrap(
        await api.POST("/servers", {
          body: {
            name,
            plan_id: planId,
            image_id: imageId,
            ...(siteId ? { site_id: siteId } : {}),
            ssh_key_ids: keyIds,
            ...(backups ? { backups_enabled: true } : {}),
            ...(extraIpv4 > 0 ? { extra_ipv4: extraIpv4 } : {}),
          },
          headers,
        }),
      );
    },
    onError: (err) => {
      if (err instanceof ApiError && !(err instanceof LocalError)) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: async (server) => {
      await queryClient.invalidateQueries({ queryKey: ["servers"] });
      await queryClient.invalidateQueries({ queryKey: ["remote-servers"] });
      await navigate(`/servers/${server.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const general =
    error && !(error instanceof ApiError && error.field && FIELDS.includes(error.field))
      ? error.message
      : undefined;
  const listError = [sites, plans, images, keys].find((q) => q.isError)?.error;

  return (
    <section>
      <h1>New server</h1>
      {listError && (
        <p role="alert" className="error">
          {listError.message}
        </p>
      )}
      <form onSubmit={submit} noValidate className="wiz">
        <div className="wiz-steps">
          <WhereStep
            sites={sites.data}
            sitesLoading={sites.isPending}
            partnerSites={partnerSites.data ?? []}
            figures={figures}
            siteId={siteId}
            onChoose={setSiteChoice}
            error={fieldError(error, "site_id")}
          />

          <Step number={2} title="How big">
            <Field label="Plan" error={errorFor(error, "plan_id", "Choose a plan.")}>
              {(props) => (
                <select
                  {...props}
                  name="plan_id"
                  value={planId}
                  onChange={(e) => setPlanChoice(e.target.value)}
                >
                  <option value="">Choose a plan…</option>
                  {planList?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}: {cpus(p.vcpus)}, {memory(p.memory_mib)}, {p.disk_gib} GiB disk,{" "}
                      {money(p.hourly_price_minor, p.currency)}/hour
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Choices
              loading={!partnerSite && plans.isPending}
              empty={planList?.length === 0 && "No sizes are on sale yet; ask support."}
            >
              {planList?.map((p) => (
                <PlanCard
                  key={p.id}
                  plan={p}
                  selected={p.id === planId}
                  onSelect={() => setPlanChoice(p.id)}
                />
              ))}
            </Choices>
            {!partnerSite && (
              <label className="check">
                <input type="checkbox" checked={backups} onChange={(e) => setBackups(e.target.checked)} />
                Daily backups
                {localPlan ? ` (+${localPlan.backups_price_percent} % of the server's price)` : ""}
              </label>
            )}
            {publicIpv4 && (
              <Field
                label="Extra IPv4 addresses"
                hint={
                  <>
                    Besides the public address every server here gets.{" "}
                    {localPlan
                      ? `${money(localPlan.extra_ipv4_monthly_minor, localPlan.currency)} a month each, billed by the hour.`
                      : "A paid add-on, billed by the hour; its price depends on the plan."}
                  </>
                }
                error={fieldError(error, "extra_ipv4")}
              >
                {(props) => (
                  <input
                    {...props}
                    name="extra_ipv4"
                    type="number"
                    min={0}
                    max={MAX_EXTRA_IPV4}
                    step={1}
                    inputMode="numeric"
                    className="wiz-count"
                    value={extraIpv4Text}
                    onChange={(e) => setExtraIpv4Text(e.target.value)}
                  />
                )}
              </Field>
            )}
          </Step>

          <Step number={3} title="What it boots">
            <Field
              label="Image"
              hint={
                partnerSite
                  ? `${partnerSite.operated_by} receives a copy of the image to boot it.`
                  : undefined
              }
              error={fieldError(error, "image_id")}
            >
              {(props) => (
                <select
                  {...props}
                  name="image_id"
                  value={imageId}
                  onChange={(e) => setImageChoice(e.target.value)}
                >
                  <option value="">Choose an image…</option>
                  {images.data?.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                      {i.os && i.os !== "unknown" ? ` (${i.os})` : ""}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Choices
              loading={images.isPending}
              empty={
                images.data?.length === 0 && (
                  <>
                    Nothing to boot yet: <Link to="/images">import a system</Link> first.
                  </>
                )
              }
            >
              {images.data?.map((i) => (
                <ImageCard
                  key={i.id}
                  image={i}
                  selected={i.id === imageId}
                  onSelect={() => setImageChoice(i.id)}
                />
              ))}
            </Choices>
          </Step>

          <LoginStep
            keys={keys.data}
            keysLoading={keys.isPending}
            keyIds={keyIds}
            onKeys={setKeyChoice}
            keysError={fieldError(error, "ssh_key_ids")}
            name={name}
            onName={setTypedName}
            nameError={fieldError(error, "name")}
          />
        </div>

        <aside className="card wiz-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <Summary
            location={location}
            plan={localPlan ?? plan}
            figures={partnerSite ? partnerSiteFigures(partnerSite) : site ? figures.get(site.id) : undefined}
            figuresLoaded={partnerSite ? true : energyNow.isSuccess}
            backups={backups && !partnerSite}
            extraIpv4={Number.isInteger(extraIpv4) && extraIpv4 > 0 ? extraIpv4 : 0}
          />
          {general && (
            <p role="alert" className="error">
              {general}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create server"}
            </button>
            <Link to="/servers">Cancel</Link>
          </div>
        </aside>
      </form>
    </section>
  );
}
