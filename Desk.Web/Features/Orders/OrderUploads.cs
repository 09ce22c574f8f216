using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Desk.Web.Features.Orders;

/// <summary>
/// Files uploaded on the import page, kept between the preview and the confirmation, so that what is imported is
/// exactly what was previewed and the browser sends the file once. Each is named by a random token and belongs to the
/// user who uploaded it; it is deleted once imported, and any left over (a preview never confirmed) after a day.
/// </summary>
public sealed partial class OrderUploads
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "desk-order-uploads");

    public async Task<string> SaveAsync(Stream content, string owner, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        RemoveExpired();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using (var file = new FileStream(DataPath(token), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await content.CopyToAsync(file, ct);
        await File.WriteAllTextAsync(OwnerPath(token), owner, ct);
        return token;
    }

    /// <summary>The upload, when <paramref name="token"/> names one of <paramref name="owner"/>'s; null otherwise.</summary>
    public Stream? Open(string token, string owner)
    {
        if (!Token().IsMatch(token) || !File.Exists(OwnerPath(token)) || File.ReadAllText(OwnerPath(token)) != owner) return null;
        return new FileStream(DataPath(token), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
    }

    public void Delete(string token)
    {
        if (!Token().IsMatch(token)) return;
        File.Delete(DataPath(token));
        File.Delete(OwnerPath(token));
    }

    private void RemoveExpired()
    {
        // File ages are the file system's, so its clock (not the desk's, which tests move) says what is old.
        var before = DateTime.UtcNow - KeptFor;
        foreach (var file in Directory.EnumerateFiles(Folder))
            try
            {
                if (File.GetLastWriteTimeUtc(file) < before) File.Delete(file);
            }
            catch (IOException) { } // another request's file in use: next time
    }

    private static string DataPath(string token) => Path.Combine(Folder, token + ".csv");
    private static string OwnerPath(string token) => Path.Combine(Folder, token + ".owner");

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Token();
}
