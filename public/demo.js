// The host page's side of the embedding, as an HRMS would do it: sign the admin in (here with a
// demo token), keep the token fresh, and react to the element's events. The demo inbox shows
// what the demo SMTP server received and what the default mailbox sent.

const element = document.getElementById("email-integration");
const tenantSelect = document.getElementById("tenant");
const adminLabel = document.getElementById("admin");
const inboxList = document.getElementById("inbox");
const inboxStatus = document.getElementById("inbox-status");
const hostLog = document.getElementById("host-log");

// Tokens live an hour; a fresh one is fetched well before, so no call ever carries a dead one.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
const MIN_RENEW_DELAY_MS = 30_000;

// A server that rejects every token it hands out must not send the page into a loop.
const MIN_FORCED_SIGN_IN_INTERVAL_MS = 60_000;

let renewTimer;
let lastForcedSignIn = 0;

async function signIn(tenant) {
  const response = await fetch(`/demo/token?tenant=${encodeURIComponent(tenant)}`);
  if (!response.ok)
    throw new Error(`the demo token could not be fetched (HTTP ${response.status})`);

  const session = await response.json();
  element.token = session.token;
  showDemoSmtp(session.demoSmtp);
  adminLabel.textContent = `${session.name || session.email} · ${tenantName(tenant)}`;
  scheduleRenewal(tenant, session.expiresAt);
}

function scheduleRenewal(tenant, expiresAt) {
  clearTimeout(renewTimer);
  const delay = Math.max(toMs(expiresAt) - Date.now() - RENEW_BEFORE_EXPIRY_MS, MIN_RENEW_DELAY_MS);
  renewTimer = setTimeout(() => signIn(tenant).catch(showSignInError), delay);
}

/** `expiresAt` may be an ISO date, or seconds or milliseconds since the epoch. */
function toMs(expiresAt) {
  if (typeof expiresAt === "number") return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  const ms = Date.parse(expiresAt);
  return Number.isNaN(ms) ? Date.now() + 60 * 60_000 : ms;
}

/** The demo SMTP server's address as the service runs it (DEMO_SMTP_PORT may move it). */
function showDemoSmtp(demoSmtp) {
  if (!demoSmtp) return;
  document.getElementById("demo-smtp-host").textContent = demoSmtp.host;
  document.getElementById("demo-smtp-port").textContent = String(demoSmtp.port);
}

function tenantName(tenant) {
  return [...tenantSelect.options].find((option) => option.value === tenant)?.text ?? tenant;
}

function showSignInError(error) {
  adminLabel.textContent = `Sign-in failed: ${error.message}`;
}

/** A tenant in the address (`?tenant=…`) wins, so that a reload or a shared link keeps it. */
function initialTenant() {
  const tenant = new URLSearchParams(location.search).get("tenant");
  if (!tenant) return tenantSelect.value;

  if (![...tenantSelect.options].some((option) => option.value === tenant)) {
    tenantSelect.add(new Option(tenant, tenant));
  }
  tenantSelect.value = tenant;
  return tenant;
}

async function refreshInbox() {
  inboxStatus.textContent = "Loading…";
  try {
    const response = await fetch("/demo/inbox");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { messages } = await response.json();
    inboxList.replaceChildren(...messages.map(renderMessage));
    inboxStatus.textContent = messages.length
      ? `${messages.length} message${messages.length === 1 ? "" : "s"}.`
      : "No mail yet.";
  } catch (error) {
    inboxStatus.textContent = `The inbox could not be loaded (${error.message}).`;
  }
}

function renderMessage(message) {
  const item = document.createElement("li");
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  const subject = document.createElement("strong");
  subject.textContent = message.subject || "(no subject)";
  const source = document.createElement("span");
  source.className = `source ${message.source}`;
  source.textContent = message.source === "demo-smtp" ? "via mailbox" : "via default";
  summary.append(subject, " ", source);

  const headers = document.createElement("dl");
  for (const [name, value] of [
    ["From", message.from],
    ["To", message.to],
    ["Reply-To", message.replyTo],
    ["Received", new Date(message.receivedAt).toLocaleString()],
  ]) {
    if (!value) continue;
    const term = document.createElement("dt");
    term.textContent = name;
    const description = document.createElement("dd");
    description.textContent = Array.isArray(value) ? value.join(", ") : value;
    headers.append(term, description);
  }

  const body = document.createElement("pre");
  body.textContent = message.text ?? "";
  details.append(summary, headers, body);
  item.append(details);
  return item;
}

function logHostEvent(text) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  hostLog.prepend(item);
}

element.addEventListener("status-change", (event) => {
  const { previous, status } = event.detail;
  const name = (value) => value ?? "no mailbox";
  logHostEvent(
    previous === status
      ? `status-change: ${name(status)}`
      : `status-change: ${name(previous)} → ${name(status)}`,
  );
  refreshInbox();
});

// An expired or rejected token is the host's to replace; the element reloads with the new one.
element.addEventListener("api-error", (event) => {
  logHostEvent(`api-error: ${event.detail.code}`);
  if (event.detail.code !== "unauthorized") return;
  if (Date.now() - lastForcedSignIn < MIN_FORCED_SIGN_IN_INTERVAL_MS) return;

  lastForcedSignIn = Date.now();
  signIn(tenantSelect.value).catch(showSignInError);
});

tenantSelect.addEventListener("change", () => {
  const url = new URL(location.href);
  url.searchParams.set("tenant", tenantSelect.value);
  history.replaceState(null, "", url);
  signIn(tenantSelect.value).catch(showSignInError);
});

document.getElementById("refresh-inbox").addEventListener("click", refreshInbox);

signIn(initialTenant()).catch(showSignInError);
refreshInbox();
