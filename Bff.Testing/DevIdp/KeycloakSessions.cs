using System.Net.Http.Headers;

namespace Bff.Testing;

/// <summary>
/// Ends a user's sessions at the identity provider the way an operator does, through Keycloak's admin
/// REST API (<c>POST /admin/realms/{realm}/users/{id}/logout</c>): the DevIdp (like Keycloak) then
/// sends a back-channel logout token to every client of those sessions that registered a
/// back-channel logout URL, so the app under test ends its own sessions too.
/// </summary>
public static class KeycloakSessions
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Ends every session of <paramref name="userId"/> in the realm of <paramref name="authority"/>, with a
    /// service-account token of <paramref name="adminClient"/> (a client allowed to manage users).
    /// Returns once the provider answered; its back-channel calls may still be on their way (poll for their effect).
    /// </summary>
    public static async Task EndUserSessionsAsync(Uri authority, TestClient adminClient, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var tokens = await TokenEndpoint.ClientCredentialsAsync(authority, adminClient, cancellationToken);
        var realm = authority.AbsolutePath.TrimEnd('/').Split('/')[^1];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(authority, $"/admin/realms/{Uri.EscapeDataString(realm)}/users/{Uri.EscapeDataString(userId)}/logout"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var response = await Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Ending {userId}'s sessions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }
    }
}
