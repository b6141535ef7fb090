using Bff.DevIdp.Mappers;

namespace Bff.DevIdp.Realms;

/// <summary>Turns Keycloak's representations into the DevIdp's model, checking what Keycloak's import would reject.</summary>
internal static class RealmMapper
{
    public static DevIdpRealm Map(RealmRepresentation source, string file, string path, IReadOnlyList<RealmUserSource> userSources)
    {
        if (string.IsNullOrWhiteSpace(source.Realm))
        {
            throw new RealmDataException(path + ".realm", "the \"realm\" name is missing.");
        }

        if (source.RevokeRefreshToken == true && source.RefreshTokenMaxReuse is > 0)
        {
            // The DevIdp rotates refresh tokens strictly (each one redeems once); allowing fewer reuses than the
            // realm says would refuse refreshes Keycloak accepts.
            throw new RealmDataException(path + ".refreshTokenMaxReuse",
                $"refreshTokenMaxReuse {source.RefreshTokenMaxReuse} is not supported with revokeRefreshToken (only 0).");
        }

        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in source.Groups ?? [])
        {
            CollectGroups(group, "/", groups);
        }

        var warnings = new List<string>();
        var scopes = new ClientScopeLoader(source, warnings);
        var clients = new Dictionary<string, DevIdpClient>(StringComparer.Ordinal);
        for (var i = 0; i < (source.Clients?.Count ?? 0); i++)
        {
            var clientPath = $"{path}.clients[{i}]";
            var mapped = MapClient(source.Clients![i], clientPath, scopes);
            if (!clients.TryAdd(mapped.ClientId, mapped))
            {
                throw new RealmDataException(clientPath + ".clientId", $"client '{mapped.ClientId}' is defined twice.");
            }
        }

        var users = new List<DevIdpUser>();
        foreach (var userSource in userSources)
        {
            try
            {
                users.Add(MapUser(userSource.User, userSource.Path, source.Realm, groups));
            }
            catch (RealmDataException ex) when (ex.File is null)
            {
                throw new RealmDataException(ex.JsonPath, ex.Message, ex) { File = userSource.File };
            }
        }

        var duplicate = users.GroupBy(u => u.Username, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RealmDataException(path + ".users", $"user '{duplicate.Key}' is defined twice.");
        }

        return new DevIdpRealm
        {
            RoleModel = RoleModel.From(source),
            Name = source.Realm,
            SourceFile = file,
            AccessTokenLifespan = Seconds(source.AccessTokenLifespan, 300),
            SsoSessionIdleTimeout = Seconds(source.SsoSessionIdleTimeout, 1800),
            SsoSessionMaxLifespan = Seconds(source.SsoSessionMaxLifespan, 36000),
            ClientSessionIdleTimeout = OptionalSeconds(source.ClientSessionIdleTimeout),
            ClientSessionMaxLifespan = OptionalSeconds(source.ClientSessionMaxLifespan),
            RevokeRefreshToken = source.RevokeRefreshToken ?? false,
            LoginWithEmailAllowed = source.LoginWithEmailAllowed ?? true,
            AcrLoaMap = Login.AcrLevels.ParseMap(source.Attributes?.GetValueOrDefault("acr.loa.map"), path + ".attributes") ?? new Dictionary<string, int>(),
            EnabledRequiredActions = source.RequiredActions is { } actions
                ? actions.Where(a => a.Enabled == true && !string.IsNullOrEmpty(a.Alias)).Select(a => a.Alias!).ToHashSet(StringComparer.Ordinal)
                : DevIdpRealm.DefaultRequiredActions,
            Clients = clients,
            Users = users,
            Warnings = warnings,
        };
    }

    private static bool IsTrue(Dictionary<string, string> attributes, string name) =>
        string.Equals(attributes.GetValueOrDefault(name), "true", StringComparison.OrdinalIgnoreCase);

    // A client attribute in seconds; empty, absent, 0 or -1 mean "the realm's value", as in Keycloak.
    private static TimeSpan? AttributeSeconds(Dictionary<string, string> attributes, string name, string path)
    {
        if (attributes.GetValueOrDefault(name) is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds > 0 ? TimeSpan.FromSeconds(seconds) : null
            : throw new RealmDataException(path + ".attributes", $"client attribute {name} '{text}' is not a number of seconds.");
    }

    // Keycloak's 0 means "not set": the SSO session's value applies.
    private static TimeSpan? OptionalSeconds(int? value) => value is > 0 ? TimeSpan.FromSeconds(value.Value) : null;

    private static TimeSpan Seconds(int? value, int fallback) =>
        TimeSpan.FromSeconds(value is > 0 ? value.Value : fallback);

    private static void CollectGroups(GroupRepresentation group, string parent, HashSet<string> paths)
    {
        if (string.IsNullOrWhiteSpace(group.Name))
        {
            throw new RealmDataException("$.groups", "a group has no name.");
        }

        var path = parent + group.Name;
        paths.Add(path);
        foreach (var sub in group.SubGroups ?? [])
        {
            CollectGroups(sub, path + "/", paths);
        }
    }

    private static DevIdpClient MapClient(ClientRepresentation source, string path, ClientScopeLoader scopes)
    {
        if (string.IsNullOrWhiteSpace(source.ClientId))
        {
            throw new RealmDataException(path, "a client has no clientId.");
        }

        var attributes = source.Attributes ?? [];
        Uri? backchannel = null;
        if (attributes.TryGetValue("backchannel.logout.url", out var url) && !string.IsNullOrWhiteSpace(url)
            && !Uri.TryCreate(url, UriKind.Absolute, out backchannel))
        {
            throw new RealmDataException(path + ".attributes", $"client '{source.ClientId}' has a backchannel.logout.url that is not an absolute URI.");
        }

        if (attributes.GetValueOrDefault("pkce.code.challenge.method") is { Length: > 0 } method && method != "S256")
        {
            // PKCE "plain" sends the verifier itself through the browser; the DevIdp serves S256 only.
            throw new RealmDataException(path + ".attributes", $"client '{source.ClientId}' requires PKCE method '{method}'; the DevIdp supports S256 only.");
        }

        return new DevIdpClient(source.ClientId)
        {
            Enabled = source.Enabled ?? true,
            PublicClient = source.PublicClient ?? false,
            Secret = source.Secret,
            StandardFlowEnabled = source.StandardFlowEnabled ?? true,
            DirectAccessGrantsEnabled = source.DirectAccessGrantsEnabled ?? false,
            ServiceAccountsEnabled = source.ServiceAccountsEnabled ?? false,
            RootUrl = source.RootUrl is { Length: > 0 } root ? root : null,
            RedirectUris = source.RedirectUris ?? [],
            PostLogoutRedirectUris = SplitMultiValued(attributes.GetValueOrDefault("post.logout.redirect.uris")),
            BackchannelLogoutUrl = backchannel,
            RequiredPkceMethod = attributes.GetValueOrDefault("pkce.code.challenge.method") is { Length: > 0 } pkce ? pkce : null,
            RequirePushedAuthorizationRequests = IsTrue(attributes, "require.pushed.authorization.requests"),
            AccessTokenLifespan = AttributeSeconds(attributes, "access.token.lifespan", path),
            ClientSessionIdleTimeout = AttributeSeconds(attributes, "client.session.idle.timeout", path),
            ClientSessionMaxLifespan = AttributeSeconds(attributes, "client.session.max.lifespan", path),
            BackchannelLogoutSessionRequired = IsTrue(attributes, "backchannel.logout.session.required"),
            UseRefreshTokens = !string.Equals(attributes.GetValueOrDefault("use.refresh.tokens"), "false", StringComparison.OrdinalIgnoreCase),
            StandardTokenExchangeEnabled = IsTrue(attributes, "standard.token.exchange.enabled"),
            LightweightAccessToken = string.Equals(attributes.GetValueOrDefault("client.use.lightweight.access.token.enabled"), "true", StringComparison.OrdinalIgnoreCase),
            WebOrigins = WebOrigins(source),
            DefaultClientScopes = scopes.DefaultScopes(source),
            OptionalClientScopes = scopes.OptionalScopes(source),
            ProtocolMappers = scopes.Mappers(source.ProtocolMappers, $"client '{source.ClientId}'"),
            AcrLoaMap = Login.AcrLevels.ParseMap(attributes.GetValueOrDefault("acr.loa.map"), path + ".attributes"),
        };
    }

    // Keycloak's web origins: "+" stands for the origins of the redirect URIs, "*" for any origin.
    private static List<string> WebOrigins(ClientRepresentation source)
    {
        var origins = new List<string>();
        foreach (var origin in source.WebOrigins ?? [])
        {
            if (origin == "+")
            {
                // Relative redirect URIs count under the client's rootUrl, as Keycloak resolves them.
                _ = Uri.TryCreate(source.RootUrl, UriKind.Absolute, out var root);
                origins.AddRange((source.RedirectUris ?? [])
                    .Select(u => u.TrimEnd('*'))
                    // Note: on Linux "/x" parses as an absolute file: URI, so a path is tested first.
                    .Select(u => !u.StartsWith('/') && Uri.TryCreate(u, UriKind.Absolute, out var absolute) ? absolute
                        : root is not null && u.StartsWith('/') && Uri.TryCreate(root, u, out var relative) ? relative : null)
                    .Where(uri => uri is { Scheme: "http" or "https" })
                    .Select(uri => uri!.GetLeftPart(UriPartial.Authority)));
            }
            else if (origin.Length > 0)
            {
                origins.Add(origin);
            }
        }

        return origins.Distinct(StringComparer.Ordinal).ToList();
    }

    // Keycloak joins multi-valued client attributes with "##".
    private static List<string> SplitMultiValued(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split("##", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static DevIdpUser MapUser(UserRepresentation source, string path, string realm, HashSet<string> groups)
    {
        if (string.IsNullOrWhiteSpace(source.Username))
        {
            throw new RealmDataException(path, "a user has no username.");
        }

        for (var i = 0; i < (source.Groups?.Count ?? 0); i++)
        {
            var group = source.Groups![i];
            if (!groups.Contains(group))
            {
                throw new RealmDataException($"{path}.groups[{i}]", $"user '{source.Username}' is in group '{group}', which the realm does not define.");
            }
        }

        return new DevIdpUser
        {
            Id = string.IsNullOrWhiteSpace(source.Id) ? Guid.NewGuid().ToString() : source.Id,
            Username = source.Username.ToLowerInvariant(),
            Enabled = source.Enabled ?? true,
            Email = source.Email,
            EmailVerified = source.EmailVerified ?? false,
            FirstName = source.FirstName,
            LastName = source.LastName,
            Password = PasswordCredentialParser.Parse(source.Credentials ?? [], path, realm, source.Username),
            Otp = PasswordCredentialParser.ParseOtp(source.Credentials ?? [], path, realm, source.Username),
            ServiceAccountClientId = source.ServiceAccountClientId,
            RealmRoles = source.RealmRoles ?? [],
            ClientRoles = (source.ClientRoles ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal),
            Groups = source.Groups ?? [],
            Attributes = (source.Attributes ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal),
        };
    }
}
