namespace Bff.Telemetry.Internal;

/// <summary>The tag (attribute) names the BFF's instruments and spans use.</summary>
internal static class BffTags
{
    /// <summary>Why a session ended (<see cref="Sessions.SessionEndReason"/>, in its wire form).</summary>
    public const string EndReason = "bff.session.end_reason";

    /// <summary>What became of a refresh, a back-channel logout or a sign-in.</summary>
    public const string Result = "bff.result";

    /// <summary>Which token-endpoint call: <c>refresh</c> or <c>revoke</c>.</summary>
    public const string Operation = "bff.token_endpoint.operation";

    /// <summary>The remote API's configured path prefix, e.g. <c>/api/remote</c> (never the full URL).</summary>
    public const string Route = "bff.remote_api";

    /// <summary>The HTTP status code of an answer (OpenTelemetry's semantic-convention name).</summary>
    public const string StatusCode = "http.response.status_code";

    /// <summary>Why a bearer token was refused.</summary>
    public const string RejectionReason = "bff.bearer.rejection";
}
