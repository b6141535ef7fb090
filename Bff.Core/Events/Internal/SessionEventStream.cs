using System.Threading.Channels;

namespace Bff.Events.Internal;

/// <summary>
/// One open <c>/bff/events</c> response: the frames to write, already in Server-Sent Events form.
/// Written by the hub, read by the endpoint's loop; completed when the session ends or the hub closes.
/// </summary>
internal sealed class SessionEventStream
{
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public SessionEventStream(string publicId) => PublicId = publicId;

    /// <summary>The session's public id.</summary>
    public string PublicId { get; }

    public ChannelReader<string> Frames => _frames.Reader;

    public void Write(string frame) => _frames.Writer.TryWrite(frame);

    /// <summary>Writes a last frame (if any) and ends the stream.</summary>
    public void Complete(string? lastFrame = null)
    {
        if (lastFrame is not null)
        {
            _frames.Writer.TryWrite(lastFrame);
        }

        _frames.Writer.TryComplete();
    }
}
