namespace Bff.Login;

/// <summary>Limits on starting logins, bound from <c>Bff:Login</c>.</summary>
public sealed class BffLoginOptions
{
    /// <summary>
    /// How many unfinished logins (each a correlation and a nonce cookie, kept 15 minutes) a browser
    /// keeps; starting one more drops the oldest, so a page that starts logins in a loop cannot grow the
    /// Cookie header until the callback is refused (<c>Bff:Login:MaxPendingLogins</c>). Defaults to 5.
    /// </summary>
    public int MaxPendingLogins { get; set; } = 5;

    /// <summary>
    /// The authorization-request parameters <c>/bff/login</c> passes from its query to the identity
    /// provider, space separated, out of <c>prompt</c>, <c>max_age</c>, <c>login_hint</c> and
    /// <c>kc_idp_hint</c> (<c>Bff:Login:AllowedParameters</c>); any other is refused with 400, and
    /// nothing else from the query reaches the provider. Empty allows none (and turns silent sign-in
    /// off). Defaults to <c>prompt max_age login_hint</c>.
    /// </summary>
    public string AllowedParameters { get; set; } = "prompt max_age login_hint";

    /// <summary>The allowed parameter names, parsed from <see cref="AllowedParameters"/>.</summary>
    internal IReadOnlySet<string> AllowedParameterNames() =>
        (AllowedParameters ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Step-up level names, space separated, lowest first (<c>Bff:Login:AcrLevels</c>), for realms whose
    /// <c>acr.loa.map</c> names the levels (e.g. <c>silver gold</c>): a required acr is reached by that name or
    /// any later one. Empty: acr values are Keycloak's level numbers and compare as numbers. Defaults to empty.
    /// </summary>
    public string AcrLevels { get; set; } = "";

    /// <summary>The names of <see cref="AcrLevels"/>, lowest first.</summary>
    internal IReadOnlyList<string> AcrLevelNames() =>
        (AcrLevels ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>How often one client address may start a login (<c>Bff:Login:RateLimit</c>).</summary>
    public BffLoginRateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>
/// A fixed window per client address (IPv6 addresses by their /64) on <c>/bff/login</c>: each start
/// is a pushed authorization request to the identity provider. Past the limit: 429 with Retry-After.
/// </summary>
public sealed class BffLoginRateLimitOptions
{
    /// <summary>
    /// Logins one address may start per <see cref="Window"/>; 0 turns the limit off
    /// (<c>Bff:Login:RateLimit:PermitLimit</c>). Defaults to 60, generous because many people may
    /// share one address behind a NAT or proxy.
    /// </summary>
    public int PermitLimit { get; set; } = 60;

    /// <summary>The window of <see cref="PermitLimit"/> (<c>Bff:Login:RateLimit:Window</c>). Defaults to one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
