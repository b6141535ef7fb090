namespace Bff.Web.Extensions;

/// <summary>The app's authorization policies.</summary>
internal static class WebPolicies
{
    /// <summary>Requires the <c>admin</c> role (the Users page).</summary>
    public const string Admin = "bff.admin";
}
