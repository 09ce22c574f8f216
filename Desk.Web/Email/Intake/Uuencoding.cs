using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Encodings;

namespace Desk.Web.Email.Intake;

/// <summary>x-uuencode parts as old clients send them: the file name on their "begin" line, and their bytes when that
/// line is missing.</summary>
internal static class Uuencoding
{
    /// <summary>The name on the "begin 644 name" line of an x-uuencode part that has no file name in its headers.</summary>
    public static string? NameOf(MimePart part)
    {
        if (part.ContentTransferEncoding != ContentEncoding.UUEncode || part.Content?.Stream is not { CanSeek: true } stream)
            return null;
        try
        {
            stream.Position = 0;
            var head = new byte[1024];
            var read = stream.Read(head, 0, head.Length);
            stream.Position = 0;
            var match = Regex.Match(Encoding.ASCII.GetString(head, 0, read), @"^begin [0-7]{3,4} (?<name>[^\r\n]+)", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
            return match.Success ? MailContent.CleanFileName(match.Groups["name"].Value) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// An x-uuencode part whose "begin 644 name" line is missing: MimeKit's decoder waits for that line and yields
    /// nothing, and the file would be kept empty. Its lines are decoded as they are, up to an "end" line.
    /// </summary>
    public static byte[]? DecodeWithoutBegin(MimePart part)
    {
        if (part.Content?.Stream is not { CanSeek: true } stream)
            return null;
        try
        {
            stream.Position = 0;
            using var encoded = new MemoryStream();
            stream.CopyTo(encoded);
            stream.Position = 0;
            var lines = Encoding.ASCII.GetString(encoded.ToArray()).Replace("\r", "", StringComparison.Ordinal).Split('\n')
                .TakeWhile(l => !l.TrimEnd().Equals("end", StringComparison.Ordinal));
            if (lines.Any(l => l.StartsWith("begin ", StringComparison.Ordinal)))
                return null; // a begin line MimeKit did not like: nothing to add
            var input = Encoding.ASCII.GetBytes(string.Join("\n", lines) + "\n");
            var decoder = new UUDecoder(true);
            var output = new byte[decoder.EstimateOutputLength(input.Length)];
            var length = decoder.Decode(input, 0, input.Length, output);
            return length > 0 ? output[..length] : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
