namespace Bff.DevIdp.Tokens;

/// <summary>Claim types the DevIdp adds. Private ones carry no destination: they stay inside codes and refresh tokens.</summary>
internal static class DevIdpClaims
{
    /// <summary>Keycloak's session id claim; also in access and ID tokens.</summary>
    public const string SessionId = "sid";

    /// <summary>Private: the grant ("family") a code or refresh token belongs to; one per authorization.</summary>
    public const string GrantId = "devidp_grant";

    /// <summary>Private: this refresh token's id, for rotation.</summary>
    public const string RefreshTokenId = "devidp_rt";

    /// <summary>Private: whether the client gets refresh tokens.</summary>
    public const string IssueRefreshToken = "devidp_issue_rt";

    /// <summary>Private: the realm, so a token of one realm is refused by another.</summary>
    public const string Realm = "devidp_realm";
}
