// The last page of the consent popup: it tells the window that opened it how the consent
// ended, only at the origins the server named, and closes. The page is served under a CSP
// without inline script, so the report comes from the JSON block the server wrote.
const block = document.getElementById("consent-report");
const { report, targets } = JSON.parse(block ? block.textContent : "{}");

if (report && window.opener && Array.isArray(targets)) {
  for (const origin of targets) window.opener.postMessage(report, origin);
}
window.close();
