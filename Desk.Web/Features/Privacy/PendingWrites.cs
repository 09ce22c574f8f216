namespace Desk.Web.Features.Privacy;

/// <summary>
/// Sits between a <see cref="System.IO.Compression.ZipArchive"/> and an answer's body, which refuses synchronous writes:
/// the archive still writes a little synchronously (the end of an entry's compressed data, its descriptor, the central
/// directory), so those bytes are held here and sent on asynchronously at the next asynchronous write or
/// <see cref="DrainAsync"/>. What is held is small (an entry's tail, never its content), so nothing large sits in memory.
/// </summary>
internal sealed class PendingWrites(Stream output) : Stream
{
    private const int SendAbove = 64 * 1024;
    private readonly MemoryStream _pending = new();
    private long _position;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending.Write(buffer);
        _position += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        _position += buffer.Length;
        if (_pending.Length >= SendAbove) await DrainAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what is held on to the output.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        if (_pending.Length == 0) return;
        await output.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
        _pending.SetLength(0);
    }

    public override void Flush() { } // held until the next asynchronous write or DrainAsync
    public override Task FlushAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _pending.Dispose();
        base.Dispose(disposing);
    }
}
