import type { OAuthProvider } from "./types.js";

/**
 * SMTP settings that a well-known mail provider publishes for its customers. All of them
 * encrypt, so `secure` is on everywhere: TLS from the start on 465, STARTTLS required on 587.
 */
export interface ProviderPreset {
  name: string;
  host: string;
  port: number;
  secure: boolean;
  /** The sign-in method that spares the admin an app password, where there is one. */
  oauth?: OAuthProvider;
  note?: string;
}

const APP_PASSWORD = "uses an app password for SMTP, not your usual password.";

const gmail: ProviderPreset = {
  name: "Gmail",
  host: "smtp.gmail.com",
  port: 587,
  secure: true,
  oauth: "google",
  note: `Google ${APP_PASSWORD}`,
};

const microsoft: ProviderPreset = {
  name: "Outlook / Microsoft 365",
  host: "smtp.office365.com",
  port: 587,
  secure: true,
  oauth: "microsoft",
  note: "Microsoft may have SMTP sign-in turned off for your account.",
};

const yahoo: ProviderPreset = {
  name: "Yahoo Mail",
  host: "smtp.mail.yahoo.com",
  port: 465,
  secure: true,
  note: `Yahoo ${APP_PASSWORD}`,
};

const icloud: ProviderPreset = {
  name: "iCloud Mail",
  host: "smtp.mail.me.com",
  port: 587,
  secure: true,
  note: `Apple ${APP_PASSWORD}`,
};

// Matched against the address's domain; the first match wins.
const PRESETS: ReadonlyArray<[RegExp, ProviderPreset]> = [
  [/^(gmail|googlemail)\.com$/, gmail],
  [/^(outlook|hotmail|live|msn|office365|passport)\.[a-z.]+$/, microsoft],
  [/^(yahoo\.[a-z.]+|ymail\.com|rocketmail\.com)$/, yahoo],
  [/^zoho(mail)?\.eu$/, { name: "Zoho Mail", host: "smtp.zoho.eu", port: 465, secure: true }],
  [/^zoho(mail)?\.[a-z.]+$/, { name: "Zoho Mail", host: "smtp.zoho.com", port: 465, secure: true }],
  [/^(icloud|me|mac)\.com$/, icloud],
  [/^aol\.com$/, { name: "AOL Mail", host: "smtp.aol.com", port: 465, secure: true }],
  [/^gmx\.[a-z.]+$/, { name: "GMX", host: "mail.gmx.com", port: 587, secure: true }],
  [
    /^fastmail\.(com|fm)$/,
    { name: "Fastmail", host: "smtp.fastmail.com", port: 465, secure: true },
  ],
  [/^yandex\.[a-z.]+$/, { name: "Yandex Mail", host: "smtp.yandex.com", port: 465, secure: true }],
];

export function presetForAddress(address: string): ProviderPreset | undefined {
  const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
  return PRESETS.find(([pattern]) => pattern.test(domain))?.[1];
}
