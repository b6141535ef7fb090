using Bff.AppHost;

// dotnet run --project Bff.AppHost: the DevIdp on http://localhost:8080, the downstream test API,
// and the app on http://localhost:5000 signing in against the DevIdp's realm "bff".
await using var stack = await DevelopmentHost.BuildAsync(args);
await stack.App.RunAsync();
