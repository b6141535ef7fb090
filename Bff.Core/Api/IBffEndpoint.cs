using Microsoft.AspNetCore.Http;

namespace Bff.Api;

/// <summary>
/// The handler of one BFF management endpoint. Each endpoint has its own interface deriving from
/// this one (<c>ILoginEndpoint</c>, <c>IUserEndpoint</c>, ...), resolved from dependency injection on
/// every request at the path <see cref="BffOptions"/> names, so one registration replaces it
/// (<c>BffBuilder.AddEndpoint</c>) and one setting moves it.
/// </summary>
public interface IBffEndpoint
{
    /// <summary>Answers the request.</summary>
    /// <param name="context">The request.</param>
    Task ProcessRequestAsync(HttpContext context);
}
