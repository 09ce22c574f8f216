namespace Desk.Web.Features.Orders;

/// <summary>
/// A CSV file uploaded on the import page and waiting for its confirmation, kept in the database so that the desk which
/// shows the preview and the one which takes the confirmation need not be the same (see <see cref="OrderUploads"/>).
/// Its bytes are in <see cref="OrderUploadChunk"/> rows, so neither writing nor reading a large file holds it in memory.
/// </summary>
public sealed class OrderUpload
{
    private OrderUpload() { } // for EF Core

    public OrderUpload(string token, string owner, DateTime createdAt, DateTime expiresAt)
    {
        Token = token;
        Owner = owner;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>32 random hex digits: the page's name for it.</summary>
    public string Token { get; private set; } = "";

    /// <summary>The user who uploaded it; nobody else can confirm it.</summary>
    public string Owner { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public long Size { get; set; }
}

/// <summary>One piece of an <see cref="OrderUpload"/>'s bytes, in order of <see cref="Index"/>.</summary>
public sealed class OrderUploadChunk
{
    private OrderUploadChunk() { } // for EF Core

    public OrderUploadChunk(string token, int index, byte[] content)
    {
        Token = token;
        Index = index;
        Content = content;
    }

    public string Token { get; private set; } = "";
    public int Index { get; private set; }
    public byte[] Content { get; private set; } = [];
}
