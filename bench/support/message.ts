/**
 * A typical HRMS notification, about 2 KB on the wire: one recipient, a subject, a short text
 * part and its HTML twin. Every message of a run is different only in its recipient.
 */
export function notification(index: number) {
  const name = `Employee ${index}`;
  const text = [
    `Dear ${name},`,
    "",
    "Your leave request for 14–18 July has been approved by your manager.",
    "The days have been taken from your annual balance, which now stands at 12 days.",
    "",
    "You can see the request and its history in the HR portal under Time off > Requests.",
    "",
    "Kind regards,",
    "Acme HR",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">${text
    .split("\n\n")
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, "<br>")}</p>`)
    .join(
      "",
    )}<p style="color:#666;font-size:12px">This message was sent by the HR portal.</p></body></html>`;

  return {
    to: `employee${index}@acme.example`,
    subject: "Leave request approved: 14–18 July",
    text,
    html,
  };
}
