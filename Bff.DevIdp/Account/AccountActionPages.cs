using System.Security.Cryptography;
using System.Text;
using Bff.DevIdp.Realms;
using Microsoft.AspNetCore.Antiforgery;
using static Bff.DevIdp.Login.HtmlPages;

namespace Bff.DevIdp.Account;

/// <summary>
/// The pages of the account actions, with Keycloak's form ids and field names (<c>kc-passwd-update-form</c> with
/// <c>password-new</c> and <c>password-confirm</c>, <c>kc-update-profile-form</c>, <c>kc-update-email-form</c>,
/// <c>kc-totp-settings-form</c> with <c>totp</c> and the hidden <c>totpSecret</c>, and the Cancel button
/// <c>cancel-aia</c>) so page objects work against both.
/// </summary>
internal static class AccountActionPages
{
    // Keycloak's TOTP secrets: 20 letters and digits, shown to the authenticator app as the Base32 of their bytes.
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static IResult For(
        string action, string postTo, IEnumerable<KeyValuePair<string, string?>> hidden, AntiforgeryTokenSet antiforgery,
        DevIdpUser user, string? error, string? totpSecret)
    {
        var body = new StringBuilder();
        var (title, formId) = action switch
        {
            AccountActions.UpdatePassword => ("Update password", "kc-passwd-update-form"),
            AccountActions.UpdateProfile => ("Update Account Information", "kc-update-profile-form"),
            AccountActions.UpdateEmail => ("Update email", "kc-update-email-form"),
            AccountActions.ConfigureTotp => ("Mobile Authenticator Setup", "kc-totp-settings-form"),
            _ => ("Delete Account", "kc-delete-account-form"),
        };
        body.Append("<h1 id=\"kc-page-title\">").Append(Encode(title)).Append("</h1>");
        if (error is not null)
        {
            body.Append("<div class=\"alert-error\" role=\"alert\"><span id=\"input-error\">").Append(Encode(error)).Append("</span></div>");
        }

        if (action == AccountActions.ConfigureTotp)
        {
            totpSecret = string.IsNullOrEmpty(totpSecret) ? RandomNumberGenerator.GetString(SecretAlphabet, 20) : totpSecret;
            body.Append("<p>Open your authenticator app and enter this key, then the code it shows:</p>")
                .Append("<p><span id=\"kc-totp-secret-key\">").Append(Encode(Base32Grouped(totpSecret))).Append("</span></p>");
        }

        if (action == AccountActions.DeleteAccount)
        {
            body.Append("<p id=\"kc-delete-account-warning\">You're about to permanently delete your account. You will lose access to all your data.</p>");
        }

        OpenForm(body, formId, postTo, hidden, antiforgery);
        switch (action)
        {
            case AccountActions.UpdatePassword:
                Input(body, "password-new", "New Password", "password", "new-password", value: null);
                Input(body, "password-confirm", "Confirm password", "password", "new-password", value: null);
                body.Append("<label><input type=\"checkbox\" id=\"logout-sessions\" name=\"logout-sessions\" value=\"on\" checked style=\"display:inline;width:auto\"> Sign out from other devices</label>");
                break;
            case AccountActions.UpdateProfile:
                Input(body, "firstName", "First name", "text", "given-name", user.FirstName);
                Input(body, "lastName", "Last name", "text", "family-name", user.LastName);
                break;
            case AccountActions.UpdateEmail:
                Input(body, "email", "Email", "email", "email", user.Email);
                break;
            case AccountActions.ConfigureTotp:
                AppendHidden(body, "totpSecret", totpSecret);
                Input(body, "totp", "One-time code", "text", "one-time-code", value: null);
                Input(body, "userLabel", "Device Name", "text", "off", value: null);
                break;
        }

        body.Append("<input id=\"kc-submit\" type=\"submit\" value=\"").Append(action == AccountActions.DeleteAccount ? "Confirm" : "Submit").Append("\">");
        body.Append("<button id=\"kc-cancel\" type=\"submit\" name=\"").Append(AccountActions.CancelField).Append("\" value=\"true\" formnovalidate>Cancel</button>");
        body.Append("</form>");
        return Page(title, body.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>Keycloak's page after a deletion: no way back to the client but its base URL, when it has one.</summary>
    public static IResult Deleted(string? clientRootUrl)
    {
        var body = new StringBuilder("<h1 id=\"kc-page-title\">Delete Account</h1><p id=\"kc-info-message\" class=\"instruction\">User deleted successfully</p>");
        if (Uri.TryCreate(clientRootUrl, UriKind.Absolute, out var root) && root.Scheme is "http" or "https")
        {
            body.Append("<p><a id=\"backToApplication\" href=\"").Append(Encode(root.AbsoluteUri)).Append("\">&laquo; Back to Application</a></p>");
        }

        return Page("Delete Account", body.ToString(), StatusCodes.Status200OK);
    }

    private static void Input(StringBuilder body, string name, string label, string type, string autocomplete, string? value)
    {
        body.Append("<label for=\"").Append(name).Append("\">").Append(Encode(label)).Append("</label>")
            .Append("<input id=\"").Append(name).Append("\" name=\"").Append(name).Append("\" type=\"").Append(type)
            .Append("\" autocomplete=\"").Append(autocomplete).Append("\" value=\"").Append(Encode(value ?? string.Empty)).Append("\">");
    }

    /// <summary>The Base32 (RFC 4648) of the secret's UTF-8 bytes, in groups of four as Keycloak shows it.</summary>
    private static string Base32Grouped(string secret)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = Encoding.UTF8.GetBytes(secret);
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return string.Join(' ', text.ToString().Chunk(4).Select(c => new string(c)));
    }
}
