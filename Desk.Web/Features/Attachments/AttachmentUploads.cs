using Desk.Domain;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Attachments;

/// <summary>A checked file, ready to store: a form's upload, or a mail's attachment (with the Content-ID its HTML names it by).</summary>
public sealed record UploadedFile(string FileName, string ContentType, byte[] Content, string? ContentId = null);

public static class AttachmentUploads
{
    /// <summary>Reads and checks the posted files; throws <see cref="DomainException"/> naming every refused one, so nothing is kept.</summary>
    public static async Task<IReadOnlyList<UploadedFile>> ReadAsync(IReadOnlyList<IFormFile>? files, CancellationToken ct)
    {
        var posted = (files ?? []).Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        if (posted.Count > AttachmentRules.MaxFiles)
            throw new DomainException("At most {0} files can be attached at once.", AttachmentRules.MaxFiles);
        var accepted = new List<UploadedFile>();
        var refusals = new List<string>();
        foreach (var file in posted)
        {
            var name = AttachmentRules.SafeName(file.FileName);
            if (file.Length > AttachmentRules.MaxBytes)
            {
                refusals.Add($"\"{name}\" is larger than {AttachmentRules.MaxBytes / 1024 / 1024} MB.");
                continue;
            }
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            var content = buffer.ToArray();
            var (type, refusal) = AttachmentRules.Check(name, content);
            if (refusal is not null) refusals.Add(refusal);
            else accepted.Add(new UploadedFile(name, type!, content));
        }
        return refusals.Count > 0 ? throw new DomainException(string.Join(" ", refusals) + " Nothing was sent; please try again without it.") : accepted;
    }

    /// <summary>Links checked files to a saved message of a ticket.</summary>
    public static void AddTo(DeskDbContext db, long ticketId, long entryId, IEnumerable<UploadedFile> files, DateTime now)
    {
        foreach (var file in files)
            db.Attachments.Add(new Attachment(ticketId, entryId, file.FileName, file.ContentType, file.Content, now, file.ContentId));
    }

    /// <summary>The files of a ticket without their bytes, by message.</summary>
    public static async Task<ILookup<long, AttachmentLink>> LinksAsync(DeskDbContext db, long ticketId, CancellationToken ct) =>
        (await db.Attachments.AsNoTracking().Where(a => a.TicketId == ticketId).OrderBy(a => a.Id)
            .Select(a => new AttachmentLink(a.Id, a.ConversationEntryId, a.FileName, a.Size, a.ContentType)).ToListAsync(ct))
        .ToLookup(a => a.EntryId, a => a with { FileName = AttachmentRules.ShownName(a.FileName) });

    /// <summary>A download that no browser will render or sniff: Content-Disposition attachment, nosniff, a sandboxing CSP.</summary>
    public static IResult Download(HttpResponse response, Attachment attachment)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        return Results.File(attachment.Content, attachment.ContentType, AttachmentRules.ShownName(attachment.FileName));
    }

    /// <summary>
    /// A picture shown inline (a thumbnail, or opened in its own tab): only when its stored type is a raster picture the
    /// desk checks (PNG, JPEG, GIF, WebP — never SVG, which runs script, nor HTML) and its bytes start as that type's do;
    /// anything else is not found here and stays a download. nosniff and a sandboxing CSP as for a download.
    /// </summary>
    public static IResult Picture(HttpResponse response, Attachment attachment)
    {
        if (!AttachmentRules.IsShownPicture(attachment.ContentType, attachment.Content)) return Results.NotFound();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        response.Headers.CacheControl = "private, max-age=3600";
        return Results.Bytes(attachment.Content, attachment.ContentType);
    }
}

public sealed record AttachmentLink(long Id, long EntryId, string FileName, long Size, string ContentType = "application/octet-stream")
{
    /// <summary>Shown as a thumbnail (the bytes are checked again when it is served).</summary>
    public bool IsPicture => AttachmentRules.IsPictureType(ContentType);

    public string SizeText => Size < 1024 ? $"{Size} B" : Size < 1024 * 1024 ? $"{Size / 1024.0:0.#} KB" : $"{Size / 1024.0 / 1024.0:0.#} MB";
}
