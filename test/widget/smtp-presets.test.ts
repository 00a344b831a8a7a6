import { describe, expect, it } from "vitest";
import { presetForAddress } from "../../widget/providers.js";
import { checkMailbox, checkSmtp } from "../../widget/validation.js";
import { announceProblem, describeProblem } from "../../widget/messages.js";

describe("SMTP presets by the address's domain", () => {
  it.each([
    ["hr@gmail.com", "smtp.gmail.com", 587],
    ["hr@googlemail.com", "smtp.gmail.com", 587],
    ["hr@outlook.com", "smtp.office365.com", 587],
    ["hr@hotmail.co.uk", "smtp.office365.com", 587],
    ["hr@live.com", "smtp.office365.com", 587],
    ["hr@office365.com", "smtp.office365.com", 587],
    ["hr@yahoo.co.in", "smtp.mail.yahoo.com", 465],
    ["hr@zoho.com", "smtp.zoho.com", 465],
    ["hr@zohomail.eu", "smtp.zoho.eu", 465],
    ["hr@icloud.com", "smtp.mail.me.com", 587],
    ["HR@GMAIL.COM", "smtp.gmail.com", 587],
  ])("suggests for %s the server %s on port %i, encrypted", (address, host, port) => {
    expect(presetForAddress(address)).toMatchObject({ host, port, secure: true });
  });

  it("offers the sign-in method that needs no app password where there is one", () => {
    expect(presetForAddress("hr@gmail.com")?.oauth).toBe("google");
    expect(presetForAddress("hr@outlook.com")?.oauth).toBe("microsoft");
    expect(presetForAddress("hr@yahoo.com")?.oauth).toBeUndefined();
  });

  it("suggests nothing for a company's own domain", () => {
    expect(presetForAddress("hr@acme.example")).toBeUndefined();
    expect(presetForAddress("hr@notgmail.com")).toBeUndefined();
  });
});

describe("checks before a call", () => {
  const draft = {
    username: " hr@acme.example ",
    password: "",
    host: "smtp.acme.example",
    port: "587",
    secure: true,
  };

  it("leaves the password out when one is saved and none is typed, so the saved one stays", () => {
    expect(checkSmtp(draft, true)).toEqual({
      username: "hr@acme.example",
      host: "smtp.acme.example",
      port: 587,
      secure: true,
    });
  });

  it("asks for a password when none is saved", () => {
    expect(checkSmtp(draft, false)).toMatchObject({ code: "invalid_input", field: "password" });
  });

  it("refuses a port that is not a number between 1 and 65535", () => {
    for (const port of ["", "0", "65536", "58 7", "abc"]) {
      expect(checkSmtp({ ...draft, port }, true)).toMatchObject({ field: "port" });
    }
  });

  it("points at the missing display name or the malformed address", () => {
    expect(checkMailbox("", "hr@acme.example")).toMatchObject({ field: "displayName" });
    expect(checkMailbox("Acme HR", "hr@acme")).toMatchObject({ field: "address" });
    expect(checkMailbox("Acme HR", "hr@acme.example")).toBeNull();
  });
});

describe("error messages in the admin's words", () => {
  it("makes the service's message a sentence, without touching a leading server name", () => {
    expect(describeProblem({ code: "x", message: "could not connect to a:25" })).toBe(
      "Could not connect to a:25.",
    );
    expect(describeProblem({ code: "x", message: "smtp.a.example:587 refused it." })).toBe(
      "smtp.a.example:587 refused it.",
    );
  });

  it("tells a screen reader which field an error is about, by its label", () => {
    const problem = { code: "invalid_input", message: "host must not be empty", field: "host" };
    expect(announceProblem(problem)).toBe("SMTP server: Must not be empty.");
  });

  it("adds what to do where only the host page can help", () => {
    expect(describeProblem({ code: "unauthorized", message: "the embed token has expired" })).toBe(
      "The embed token has expired. Reload the page to sign in again.",
    );
  });
});
