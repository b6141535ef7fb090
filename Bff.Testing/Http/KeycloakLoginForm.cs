namespace Bff.Testing.Http;

/// <summary>
/// Drives a Keycloak-style login form (form <c>kc-form-login</c>, inputs <c>username</c> and <c>password</c>),
/// the DevIdp's or a real Keycloak's, with the antiforgery and hidden fields the page carries.
/// </summary>
public static class KeycloakLoginForm
{
    /// <summary>The form's id.</summary>
    public const string FormId = "kc-form-login";

    /// <summary>Whether a response is a login page.</summary>
    public static async Task<bool> IsLoginPageAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Content.Headers.ContentType?.MediaType == "text/html"
            && (await response.Content.ReadAsStringAsync()).Contains($"id=\"{FormId}\"", StringComparison.Ordinal);
    }

    /// <summary>
    /// Navigates to <paramref name="start"/> (an app's login URL or an authorize URL), following redirects to the
    /// login page, and signs in. Returns the response after the form post (followed to the end unless
    /// <paramref name="followRedirects"/> is false: then the redirect or form_post page back to the client).
    /// If an SSO session signs the browser in without a form, returns where that led.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(
        BrowserClient browser, Uri start, string username, string password, bool followRedirects = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync(start, followRedirects: true, cancellationToken);
        if (!await IsLoginPageAsync(page))
        {
            return page;
        }

        return await SubmitAsync(browser, page, username, password, followRedirects, cancellationToken);
    }

    /// <inheritdoc cref="SignInAsync(BrowserClient, Uri, string, string, bool, CancellationToken)"/>
    public static Task<HttpResponseMessage> SignInAsync(
        BrowserClient browser, Uri start, TestUser user, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        SignInAsync(browser, start, user?.Username ?? throw new ArgumentNullException(nameof(user)), user.Password, followRedirects, cancellationToken);

    /// <summary>Fills and posts the login form of a login page response.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        BrowserClient browser, HttpResponseMessage loginPage, string username, string password, bool followRedirects = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(loginPage);
        var form = (await HtmlForm.ParseAsync(loginPage, FormId, cancellationToken))
            .Set("username", username)
            .Set("password", password);
        return await browser.SubmitAsync(form, followRedirects, cancellationToken);
    }
}
