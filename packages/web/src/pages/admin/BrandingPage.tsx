import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import type { CSSProperties, ChangeEvent, FormEvent } from "react";
import { api, unwrap } from "../../api";
import { Field } from "../../components/Field";
import { useSession } from "../../session";
import "./business/business.css";
import { errorFor, LocalError, otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import type { Brand, BrandInput } from "./business/types";
import { PortalDomainsSection } from "./PortalDomainsSection";

const BRANDING_KEY = ["branding", "own"] as const;
const FIELDS = ["name", "logo_url", "primary_color", "accent_color", "support_email"] as const;
/** The API keeps a data: URL logo in the brand row, sent with every page: at most this many characters. */
const MAX_DATA_LOGO_CHARS = 65_536;
const HEX = /^#[0-9a-f]{6}$/i;

export function BrandingPage() {
  const brand = useQuery({
    queryKey: BRANDING_KEY,
    queryFn: async () => unwrap(await api.GET("/branding")),
  });
  return (
    <section>
      <h1>Branding</h1>
      {brand.isPending && <p className="loading">Loading your brand…</p>}
      <ErrorMessage error={brand.error} />
      {brand.data && <BrandForm key={brand.data.account_id} saved={brand.data} />}
      {brand.data && <DomainsOf accountId={brand.data.account_id} />}
    </section>
  );
}

/** The portal domain part of the page, which needs the reseller's slug for its hint. */
function DomainsOf({ accountId }: { accountId: string }) {
  const me = useSession().data;
  const own = useQuery({
    queryKey: ["accounts", "one", accountId],
    enabled: me?.role === "reseller-admin",
    queryFn: async () => unwrap(await api.GET("/accounts/{id}", { params: { path: { id: accountId } } })),
  });
  return (
    <PortalDomainsSection
      accountId={accountId}
      isProvider={me?.role === "provider-admin"}
      slug={own.data?.slug}
    />
  );
}

interface Draft {
  name: string;
  logo_url: string;
  primary_color: string;
  accent_color: string;
  support_email: string;
}

function draftOf(b: Brand): Draft {
  return {
    name: b.name,
    logo_url: b.logo_url ?? "",
    primary_color: b.primary_color,
    accent_color: b.accent_color,
    support_email: b.support_email ?? "",
  };
}

/** Black or white, whichever reads better on the colour. */
function textOn(hex: string): string {
  if (!HEX.test(hex)) return "#fff";
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const lum = 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  return lum > 0.4 ? "#111" : "#fff";
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === "string"
        ? resolve(reader.result)
        : reject(new Error("The file could not be read."));
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });
}

function BrandForm({ saved }: { saved: Brand }) {
  const queryClient = useQueryClient();
  const me = useSession().data;
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [logoError, setLogoError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => {
    setDone(false);
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };

  const save = useMutation({
    mutationFn: async () => {
      if (logoError) throw new LocalError("logo_url", logoError);
      const body: BrandInput = {
        name: draft.name,
        logo_url: draft.logo_url.trim() || null,
        primary_color: draft.primary_color.trim(),
        accent_color: draft.accent_color.trim(),
        support_email: draft.support_email.trim() || null,
      };
      return unwrap(await api.PUT("/branding", { body }));
    },
    onMutate: () => setDone(false),
    onSuccess: async (brand) => {
      queryClient.setQueryData(BRANDING_KEY, brand);
      setDraft(draftOf(brand));
      setDone(true);
      // The portal's own look (top bar, title, login pages) reads the brand again.
      await queryClient.invalidateQueries({ queryKey: ["brand"] });
    },
  });

  async function pickLogo(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setDone(false);
    if (!["image/png", "image/jpeg"].includes(file.type)) {
      setLogoError(`${file.name} is not a PNG or JPEG image.`);
      return;
    }
    try {
      const url = await readAsDataUrl(file);
      if (url.length > MAX_DATA_LOGO_CHARS) {
        setLogoError(
          `${file.name} is too large: ${Math.ceil(file.size / 1024)} KiB. An uploaded logo may be about 48 KiB at most (64 KiB once encoded); shrink it, or give an https URL instead.`,
        );
        return;
      }
      setLogoError(undefined);
      setDraft((d) => ({ ...d, logo_url: url }));
    } catch (err) {
      setLogoError(err instanceof Error ? err.message : String(err));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  const error = save.error;
  const general = otherError(error, FIELDS);
  const isData = draft.logo_url.startsWith("data:");
  const primary = HEX.test(draft.primary_color) ? draft.primary_color : saved.primary_color;
  const accent = HEX.test(draft.accent_color) ? draft.accent_color : saved.accent_color;
  const previewStyle = {
    "--p-primary": primary,
    "--p-accent": accent,
    "--p-on-primary": textOn(primary),
  } as CSSProperties;
  const logo = draft.logo_url.trim();
  const showLogo = logo.startsWith("data:image/") || logo.startsWith("https://");
  const shownName = draft.name.trim() || "Your company";

  return (
    <div className="biz-branding">
      <form onSubmit={submit} noValidate className="card stack" aria-label="Your brand">
        {saved.is_default && (
          <p className="biz-note">
            You have not set a brand yet; your customers see these defaults. Save to make it yours.
          </p>
        )}
        <Field
          label="Name"
          hint="Shown in the top bar, page titles, mail and invoices."
          error={errorFor(error, "name")}
        >
          {(props) => (
            <input
              {...props}
              value={draft.name}
              onChange={set("name")}
              autoComplete="organization"
              maxLength={100}
            />
          )}
        </Field>
        <Field
          label="Logo URL"
          hint={
            isData
              ? `An uploaded image (${Math.ceil(draft.logo_url.length / 1024)} KiB encoded).`
              : "An https address of the image, or upload a small PNG or JPEG below."
          }
          error={logoError ?? errorFor(error, "logo_url")}
        >
          {(props) => (
            <input
              {...props}
              type="url"
              inputMode="url"
              placeholder={
                isData ? "Uploaded image in use; type a URL to replace it" : "https://example.com/logo.png"
              }
              spellCheck={false}
              value={isData ? "" : draft.logo_url}
              onChange={(e) => {
                setLogoError(undefined);
                set("logo_url")(e);
              }}
            />
          )}
        </Field>
        <div className="biz-logo-row">
          {showLogo && <img className="biz-logo-thumb" src={logo} alt="The logo" />}
          <label htmlFor={fileId} className="sr-only">
            Upload a logo (PNG or JPEG, at most 48 KiB)
          </label>
          <input
            ref={fileInput}
            id={fileId}
            type="file"
            accept="image/png,image/jpeg"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => void pickLogo(e)}
          />
          <button type="button" onClick={() => fileInput.current?.click()}>
            Upload a logo…
          </button>
          {logo && (
            <button
              type="button"
              onClick={() => {
                setLogoError(undefined);
                setDone(false);
                setDraft((d) => ({ ...d, logo_url: "" }));
              }}
            >
              Remove logo
            </button>
          )}
        </div>
        <p className="hint">PNG or JPEG, at most about 48 KiB. About 28 pixels tall in the top bar.</p>
        <div className="biz-pair">
          <ColorField
            label="Primary colour"
            hint="The band on top of every page and the main buttons."
            value={draft.primary_color}
            onChange={(v) => {
              setDone(false);
              setDraft((d) => ({ ...d, primary_color: v }));
            }}
            error={errorFor(error, "primary_color")}
          />
          <ColorField
            label="Accent colour"
            hint="Links and the current page in the menu."
            value={draft.accent_color}
            onChange={(v) => {
              setDone(false);
              setDraft((d) => ({ ...d, accent_color: v }));
            }}
            error={errorFor(error, "accent_color")}
          />
        </div>
        <Field
          label="Support email"
          hint="Where customers write for help; shown on invoices. Optional."
          error={errorFor(error, "support_email")}
        >
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="off"
              placeholder="support@example.com"
              value={draft.support_email}
              onChange={set("support_email")}
            />
          )}
        </Field>
        <ErrorMessage error={general} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save brand"}
          </button>
          <button
            type="button"
            disabled={save.isPending}
            onClick={() => {
              setLogoError(undefined);
              setDone(false);
              save.reset();
              setDraft(draftOf(saved));
            }}
          >
            Undo changes
          </button>
          <span role="status" className="biz-ok">
            {done
              ? me?.role === "provider-admin"
                ? "Saved. The portal now wears this brand."
                : "Saved. Your customers now see this brand."
              : ""}
          </span>
        </div>
      </form>
      <aside className="biz-preview stack" aria-label="Preview">
        <h2>Preview</h2>
        <div className="biz-preview-frame" style={previewStyle} aria-hidden="true">
          <div className="biz-preview-bar">
            <span className="brand">
              {showLogo && <img src={logo} alt="" className="brand-logo" />}
              <span>{shownName}</span>
            </span>
            <span className="biz-preview-nav">
              <span className="on">Servers</span>
              <span>Invoices</span>
              <span>Support</span>
            </span>
          </div>
          <div className="biz-preview-login">
            <h3>
              {showLogo && <img src={logo} alt="" className="brand-logo" />}
              Log in to {shownName}
            </h3>
            <span className="muted">Email</span>
            <span className="fake-input" />
            <span className="muted">Password</span>
            <span className="fake-input" />
            <span className="fake-button">Log in</span>
            <span className="fake-link">Forgot your password?</span>
          </div>
        </div>
        {draft.support_email.trim() && (
          <p className="hint">
            Help: <span className="mono">{draft.support_email.trim()}</span>
          </p>
        )}
      </aside>
    </div>
  );
}

function ColorField(props: {
  label: string;
  hint: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const pickerId = useId();
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <div className="biz-color">
          <input
            id={pickerId}
            type="color"
            aria-label={`${props.label}: picker`}
            value={HEX.test(props.value) ? props.value.toLowerCase() : "#000000"}
            onChange={(e) => props.onChange(e.target.value)}
          />
          <input
            {...control}
            type="text"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            maxLength={7}
            placeholder="#1a2b3c"
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
          />
        </div>
      )}
    </Field>
  );
}
