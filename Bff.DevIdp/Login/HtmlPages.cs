using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Bff.DevIdp.Login;

/// <summary>
/// The few pages people see. The login form uses Keycloak's ids and field names (form <c>kc-form-login</c>,
/// inputs <c>username</c> and <c>password</c>, submit <c>kc-login</c>) so page objects work against both.
/// </summary>
internal static class HtmlPages
{
    public static IResult Login(
        string realm, string action, IEnumerable<KeyValuePair<string, string?>> hiddenFields,
        AntiforgeryTokenSet antiforgery, string? username, string? error)
    {
        var body = new StringBuilder();
        body.Append("<h1>Sign in to your account</h1>");
        if (error is not null)
        {
            body.Append("<div class=\"alert-error\" role=\"alert\"><span id=\"input-error\">").Append(Encode(error)).Append("</span></div>");
        }

        OpenForm(body, "kc-form-login", action, hiddenFields, antiforgery);
        body.Append("<label for=\"username\">Username or email</label>")
            .Append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autofocus value=\"")
            .Append(Encode(username ?? string.Empty)).Append("\">");
        body.Append("<label for=\"password\">Password</label>")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">");
        body.Append("<input id=\"kc-login\" name=\"login\" type=\"submit\" value=\"Sign In\">");
        body.Append("</form>");
        return Page($"Sign in to {realm}", body.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>The one-time password step, with Keycloak's ids (form <c>kc-otp-login-form</c>, input <c>otp</c>).</summary>
    public static IResult OneTimePassword(
        string realm, string action, IEnumerable<KeyValuePair<string, string?>> hiddenFields, AntiforgeryTokenSet antiforgery, string? error)
    {
        var body = new StringBuilder();
        body.Append("<h1>Sign in to your account</h1><p id=\"kc-otp-instruction\">Enter the one-time code from your authenticator app.</p>");
        if (error is not null)
        {
            body.Append("<div class=\"alert-error\" role=\"alert\"><span id=\"input-error-otp-code\">").Append(Encode(error)).Append("</span></div>");
        }

        OpenForm(body, "kc-otp-login-form", action, hiddenFields, antiforgery);
        body.Append("<label for=\"otp\">One-time code</label>")
            .Append("<input id=\"otp\" name=\"otp\" type=\"text\" autocomplete=\"one-time-code\" inputmode=\"numeric\" autofocus>");
        body.Append("<input id=\"kc-login\" name=\"login\" type=\"submit\" value=\"Sign In\">");
        body.Append("</form>");
        return Page($"Sign in to {realm}", body.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Error(string error, string? description, int statusCode = StatusCodes.Status400BadRequest) =>
        Page("Error", $"<h1>We are sorry...</h1><p id=\"kc-error-message\" class=\"instruction\">{Encode(description ?? error)}</p>"
            + $"<p><small>error: <code id=\"error-code\">{Encode(error)}</code></small></p>", statusCode);

    public static IResult LoggedOut() =>
        Page("Logged out", "<h1 id=\"kc-page-title\">You are logged out</h1>", StatusCodes.Status200OK);

    public static IResult ConfirmLogout(string action, IEnumerable<KeyValuePair<string, string?>> hiddenFields, AntiforgeryTokenSet antiforgery)
    {
        var body = new StringBuilder("<h1>Logging out</h1><p>Do you want to log out?</p>");
        OpenForm(body, "kc-logout-form", action, hiddenFields, antiforgery);
        body.Append("<input type=\"hidden\" name=\"confirm\" value=\"true\">");
        body.Append("<input id=\"kc-logout\" name=\"confirmLogout\" type=\"submit\" value=\"Logout\"></form>");
        return Page("Logging out", body.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>
    /// Opens a form that posts back to <paramref name="action"/> with the request's parameters and the antiforgery
    /// token as hidden fields (the pages of one authorization request all post to the authorization endpoint).
    /// </summary>
    internal static void OpenForm(
        StringBuilder body, string id, string action, IEnumerable<KeyValuePair<string, string?>> hiddenFields, AntiforgeryTokenSet antiforgery)
    {
        body.Append("<form id=\"").Append(Encode(id)).Append("\" method=\"post\" action=\"").Append(Encode(action)).Append("\">");
        foreach (var (name, value) in hiddenFields)
        {
            AppendHidden(body, name, value);
        }

        AppendHidden(body, antiforgery.FormFieldName, antiforgery.RequestToken);
    }

    internal static void AppendHidden(StringBuilder body, string name, string? value) =>
        body.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value ?? string.Empty)).Append("\">");

    internal static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    internal static IResult Page(string title, string body, int statusCode) =>
        new HtmlResult($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)}</title>"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<style>body{font-family:sans-serif;max-width:26rem;margin:3rem auto}label,input{display:block;width:100%;margin:.3rem 0}"
            + ".alert-error{color:#a00;margin:1rem 0}</style></head><body>" + body + "</body></html>", statusCode);

    private sealed class HtmlResult(string html, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";

            // Pages carry antiforgery tokens and session state: never cached, never framed by another site.
            // (No CSP form-action: Chromium applies it to the redirect to the client after the login POST.)
            response.Headers.CacheControl = "no-store";
            response.Headers.XFrameOptions = "SAMEORIGIN";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";
            return response.WriteAsync(html);
        }
    }
}
