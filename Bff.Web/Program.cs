await using var app = await Bff.Web.BffWebApp.BuildAsync(args);
await app.RunAsync();
