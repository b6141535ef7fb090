using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Bff.Login.Internal;

/// <summary>
/// Lets a feature that starts a login with its own authorization parameters (the account actions' kc_action)
/// read the provider's answer on the callback, without the login depending on that feature.
/// </summary>
internal interface ILoginCallbackHandler
{
    /// <summary>The authorization response arrived (before the code is redeemed); the properties came back from the state.</summary>
    void ResponseReceived(MessageReceivedContext context);

    /// <summary>The ID token passed validation; the handler may <c>Fail</c> the context to refuse the login.</summary>
    void TokenValidated(TokenValidatedContext context, ClaimsIdentity identity);
}
