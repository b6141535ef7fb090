namespace Bff.DevIdp.Downstream;

/// <summary>Settings of the small downstream API that stands in for a real one behind the BFF's proxy.</summary>
public sealed class DownstreamApiServerOptions
{
    /// <summary>The realm URL whose discovery document and JWKS validate incoming tokens. Required.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The audience a token must carry. Defaults to <c>bff</c> (the realm's audience mapper adds it).</summary>
    public string Audience { get; set; } = "bff";

    /// <summary>Where the API listens. Defaults to <c>http://127.0.0.1:0</c> (a free loopback port).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>The clock tolerance for token lifetimes. Defaults to 5 seconds, so short-lived test tokens really expire.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);
}
