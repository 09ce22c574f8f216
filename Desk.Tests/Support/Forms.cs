using System.Net;
using System.Text.RegularExpressions;

namespace Desk.Tests.Support;

/// <summary>Posts a form the way a browser does: GET the page, take its antiforgery token, POST with it.</summary>
public static partial class Forms
{
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string pageWithForm)
    {
        var html = await client.GetStringAsync(pageWithForm);
        var match = TokenInput().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{pageWithForm} has no antiforgery token.");
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pageWithForm, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, pageWithForm);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>A multipart post with files, as a browser sends a form with file inputs.</summary>
    public static async Task<HttpResponseMessage> PostWithFilesAsync(HttpClient client, string pageWithForm, string action,
        Dictionary<string, string> fields, params (string Name, byte[] Content)[] files)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(await AntiforgeryTokenAsync(client, pageWithForm)), "__RequestVerificationToken");
        foreach (var (key, value) in fields) content.Add(new StringContent(value), key);
        foreach (var (name, bytes) in files) content.Add(new ByteArrayContent(bytes), "files", name);
        return await client.PostAsync(action, content);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
