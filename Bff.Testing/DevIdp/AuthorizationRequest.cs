namespace Bff.Testing;

/// <summary>A PKCE pair (RFC 7636, S256) and the state/nonce a client would send with it.</summary>
public sealed record AuthorizationRequest(string Verifier, string Challenge, string State, string Nonce)
{
    /// <summary>Fresh random values.</summary>
    public static AuthorizationRequest Create()
    {
        var verifier = Pkce.CreateVerifier();
        return new AuthorizationRequest(verifier, Pkce.S256(verifier), Pkce.RandomString(), Pkce.RandomString());
    }

    /// <summary>The authorize URL of a realm for a client and redirect URI, code flow with S256.</summary>
    public Uri Url(Uri authority, string clientId, Uri redirectUri, string responseMode = "query", string? prompt = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["scope"] = "openid profile email",
            ["redirect_uri"] = redirectUri.ToString(),
            ["response_mode"] = responseMode,
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
            ["prompt"] = prompt,
        };
        var pairs = query.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}");
        return new Uri($"{authority.ToString().TrimEnd('/')}/protocol/openid-connect/auth?{string.Join('&', pairs)}");
    }
}
