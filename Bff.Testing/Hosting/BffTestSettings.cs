namespace Bff.Testing.Hosting;

/// <summary>
/// The configuration of a BFF under test, written once for every suite and the benchmark: it signs in
/// as a confidential client against a realm served over plain HTTP on loopback, keeps its LiteDB file
/// and key ring in a folder of the test's own, and logs warnings only. A test adds or replaces keys on
/// the dictionary returned.
/// </summary>
public static class BffTestSettings
{
    /// <summary>The path the downstream API is proxied at when <c>remoteApi</c> is given.</summary>
    public const string RemoteApiPath = "/api/remote";

    /// <summary>
    /// The settings for a BFF signing in as <paramref name="clientId"/> at <paramref name="authority"/>, with
    /// its database (<c>bff.db</c>) and Data Protection keys (<c>keys/</c>) under <paramref name="dataFolder"/>;
    /// a second app on the same folder is a restart of the first. With <paramref name="remoteApi"/>, that API
    /// is proxied at <see cref="RemoteApiPath"/> with the user's token.
    /// </summary>
    public static Dictionary<string, string?> For(Uri authority, string clientId, string clientSecret, string dataFolder, Uri? remoteApi = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(dataFolder);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Oidc:Authority"] = authority.AbsoluteUri.TrimEnd('/'),
            ["Oidc:ClientId"] = clientId,
            ["Oidc:ClientSecret"] = clientSecret,

            // The DevIdp on loopback serves its metadata over plain HTTP; a deployment never turns this off.
            ["Oidc:RequireHttpsMetadata"] = "false",
            ["ConnectionStrings:Bff"] = $"Filename={Path.Combine(dataFolder, "bff.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(dataFolder, "keys"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (remoteApi is not null)
        {
            settings["Bff:RemoteApis:Remote:Path"] = RemoteApiPath;
            settings["Bff:RemoteApis:Remote:Destination"] = remoteApi.AbsoluteUri;
        }

        return settings;
    }

    /// <summary>The settings of <see cref="For(Uri, string, string, string, Uri?)"/> for a client of a realm file.</summary>
    public static Dictionary<string, string?> For(Uri authority, TestClient client, string dataFolder, Uri? remoteApi = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return For(authority, client.ClientId, client.Secret, dataFolder, remoteApi);
    }
}
