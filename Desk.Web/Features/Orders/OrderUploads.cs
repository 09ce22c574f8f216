using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Orders;

/// <summary>
/// Files uploaded on the import page, kept between the preview and the confirmation, so that what is imported is
/// exactly what was previewed and the browser sends the file once. They are kept in the database (in pieces of
/// <see cref="ChunkBytes"/>), not on one desk's disk: behind a load balancer the confirmation may reach another desk
/// than the preview. Each is named by a random token and belongs to the user who uploaded it; it is deleted once
/// imported, and any left over (a preview never confirmed) after <see cref="KeptFor"/>, by the next upload.
/// </summary>
public sealed partial class OrderUploads(DeskDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    /// <summary>The size of one stored piece: large enough to be few, small enough never to hold a whole file in memory.</summary>
    public const int ChunkBytes = 1 << 20;

    public async Task<string> SaveAsync(Stream content, string owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var transaction = await db.BeginWriteAsync(ct);
        await RemoveExpiredAsync(now, ct);
        var upload = new OrderUpload(token, owner, now, now + KeptFor);
        db.OrderUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        var buffer = new byte[ChunkBytes];
        for (var index = 0; ; index++)
        {
            var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (read == 0) break;
            var chunk = new OrderUploadChunk(token, index, buffer[..read]);
            db.OrderUploadChunks.Add(chunk);
            await db.SaveChangesAsync(ct);
            db.Entry(chunk).State = EntityState.Detached; // written: let its bytes go
            upload.Size += read;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return token;
    }

    /// <summary>
    /// The upload, when <paramref name="token"/> names one of <paramref name="owner"/>'s that has not expired; null
    /// otherwise. Read from the database into a temporary file that is deleted when the stream is closed: the import reads
    /// it at its own pace (and ahead of itself) without holding a database connection.
    /// </summary>
    public async Task<Stream?> OpenAsync(string token, string owner, CancellationToken ct)
    {
        if (!Token().IsMatch(token)) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await db.OrderUploads.AnyAsync(u => u.Token == token && u.Owner == owner && u.ExpiresAt > now, ct)) return null;
        var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"desk-order-upload-{Guid.NewGuid():N}.csv"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            for (var index = 0; ; index++)
            {
                var content = await db.OrderUploadChunks.AsNoTracking().Where(c => c.Token == token && c.Index == index)
                    .Select(c => c.Content).SingleOrDefaultAsync(ct);
                if (content is null) break;
                await spool.WriteAsync(content, ct);
            }
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    public async Task DeleteAsync(string token, CancellationToken ct)
    {
        if (!Token().IsMatch(token)) return;
        await using var transaction = await db.BeginWriteAsync(ct);
        await db.OrderUploadChunks.Where(c => c.Token == token).ExecuteDeleteAsync(ct);
        await db.OrderUploads.Where(u => u.Token == token).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Previews never confirmed, past their time: deleted by the next upload, so no desk needs a clean-up job.</summary>
    private async Task RemoveExpiredAsync(DateTime now, CancellationToken ct)
    {
        var expired = db.OrderUploads.Where(u => u.ExpiresAt <= now).Select(u => u.Token);
        await db.OrderUploadChunks.Where(c => expired.Contains(c.Token)).ExecuteDeleteAsync(ct);
        await db.OrderUploads.Where(u => u.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Token();
}
