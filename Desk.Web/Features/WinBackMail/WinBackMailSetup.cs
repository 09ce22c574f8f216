namespace Desk.Web.Features.WinBackMail;

public static class WinBackMailSetup
{
    /// <summary>Win-back mails: the preview-and-send page from the win-back list, and the admins' templates.</summary>
    public static WebApplicationBuilder AddDeskWinBackMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WinBackLetters>();
        return builder;
    }
}
