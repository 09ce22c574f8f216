namespace Desk.Domain.Email;

// Placeholder until the reply branch lands (replaced by it on merge).
public static class ReplyText
{
    public static string NewText(string text) => text.Replace("\r\n", "\n").Trim();
}
