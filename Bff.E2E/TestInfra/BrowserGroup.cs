namespace Bff.E2E.TestInfra;

/// <summary>Every journey shares the one browser (Bff.Testing's <see cref="BrowserFixture"/>); xunit runs the collection's tests one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserFixture>
{
    /// <summary>The collection name journeys put in their <c>[Collection]</c> attribute.</summary>
    public const string Name = "browser";
}
