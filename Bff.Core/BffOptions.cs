namespace Bff;

/// <summary>
/// Placeholder so the library builds; replaced by the options of the configuration contract.
/// </summary>
public sealed class BffMarker
{
}
