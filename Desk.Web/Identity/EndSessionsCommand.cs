namespace Desk.Web.Identity;

/// <summary>
/// <c>dotnet run --project Desk.Web -- end-sessions USER</c>: signs the user out everywhere at once (a leaver, a lost
/// laptop, a password that may have leaked). Their next request, on any desk, goes to the sign-in page.
/// </summary>
public static class EndSessionsCommand
{
    public const string Name = "end-sessions";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        if (args is not [var user] || string.IsNullOrWhiteSpace(user))
        {
            await output.WriteLineAsync("Usage: dotnet run --project Desk.Web -- end-sessions USER");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        if (!await scope.ServiceProvider.GetRequiredService<DeskSessions>().EndAllAsync(user))
        {
            await output.WriteLineAsync($"error: there is no user \"{user}\".");
            return 1;
        }
        await output.WriteLineAsync($"Every session of {user} has ended; they must sign in again.");
        return 0;
    }
}
