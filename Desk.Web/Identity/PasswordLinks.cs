using System.Text;
using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Email.Outbound;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Desk.Web.Identity;

/// <summary>
/// A link by mail that lets one person set their password once: for a new user (an admin never knows anyone's password)
/// and for one who forgot it. The link carries Identity's password-reset token, which is only good while the user's
/// security stamp is unchanged — setting the password changes it, so the link works once — and for
/// <see cref="Lifetime"/>. It goes through the outbox like every mail, and the desk's copy loses the token once sent.
/// </summary>
public sealed class PasswordLinks(UserManager<DeskUser> users, DeskDbContext db, Outbox outbox, IOptions<MailOptions> mail, TimeProvider clock)
{
    /// <summary>How long a link works (Identity's token lifespan, set in <see cref="IdentitySetup"/>).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>The path of the page the link opens; the regex that strips private links from sent mails knows it.</summary>
    public const string Path = "/account/set-password/";

    /// <summary>Queues the mail with a fresh link to the user's address, and wakes the senders.</summary>
    public async Task<string> SendAsync(DeskUser user, bool welcome, CancellationToken ct)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var key = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{user.Id}\n{token}"));
        var url = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}{Path}{key}";
        var hours = (int)Lifetime.TotalHours;
        var (subject, body) = welcome
            ? ("Desk: your account / 您的账户",
                $"Hello {user.DisplayName},\n\nan account on Desk was made for you, user name \"{user.UserName}\". Choose your password here (the link works once, for {hours} hours):\n\n{url}\n\n—\n\n{user.DisplayName}您好：\n\n管理员为您在 Desk 创建了账户，用户名“{user.UserName}”。请通过以下链接设置密码（仅可使用一次，{hours} 小时内有效）：\n\n{url}\n")
            : ("Desk: set a new password / 设置新密码",
                $"Hello {user.DisplayName},\n\nan admin sent you this link to set a new password for \"{user.UserName}\" (it works once, for {hours} hours):\n\n{url}\n\nIf you did not ask for it, tell your admin; your password stays as it is until the link is used.\n\n—\n\n{user.DisplayName}您好：\n\n管理员向您发送了为“{user.UserName}”设置新密码的链接（仅可使用一次，{hours} 小时内有效）：\n\n{url}\n\n如果您并未提出请求，请告知管理员；在使用链接之前，您的密码保持不变。\n");
        var now = clock.GetUtcNow().UtcDateTime;
        var domain = mail.Value.Address[(mail.Value.Address.LastIndexOf('@') + 1)..];
        db.OutboundMails.Add(new OutboundMail(null, OutboundKind.PasswordLink, user.Email!, user.DisplayName, subject, body, "en",
            $"password.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}@{domain}", null, null, now));
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return url;
    }

    /// <summary>The user id and token a link carries, or null when it is not one of ours.</summary>
    public static (string UserId, string Token)? Read(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 2_000) return null;
        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(key));
            var split = text.IndexOf('\n');
            return split <= 0 || split == text.Length - 1 ? null : (text[..split], text[(split + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
