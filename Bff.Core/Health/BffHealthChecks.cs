namespace Bff.Health;

/// <summary>Names and tags of the BFF's health checks (<c>/health/live</c>, <c>/health/ready</c>).</summary>
public static class BffHealthChecks
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "bff-ready";

    /// <summary>The LiteDB database can be read.</summary>
    public const string Database = "bff-database";

    /// <summary>The identity provider's discovery document can be fetched and is complete.</summary>
    public const string Discovery = "bff-oidc-discovery";

    /// <summary>Redis answers (only when <c>ConnectionStrings:Redis</c> is set).</summary>
    public const string Redis = "bff-redis";

    /// <summary>The liveness path: answers 200 while the process serves requests; checks nothing else.</summary>
    public const string LivePath = "/health/live";

    /// <summary>The readiness path: 200 when the database and the identity provider's discovery answer, else 503.</summary>
    public const string ReadyPath = "/health/ready";
}
