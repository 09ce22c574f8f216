using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class FollowUpPlanConfiguration : IEntityTypeConfiguration<FollowUpPlan>
{
    public void Configure(EntityTypeBuilder<FollowUpPlan> plan)
    {
        plan.ToTable("FollowUpPlans");
        plan.HasKey(p => p.Level);
        plan.Ignore(p => p.Window);
        plan.Ignore(p => p.SurveyDelay);
        plan.HasData(FollowUpPlan.Defaults().Select(p => new
        {
            p.Level, p.WindowDays, p.SurveyAfterHours, p.InviteCallBack, p.CheckInAfterDays, p.LaterCheckInAfterDays, p.AccountReviewAfterDays,
        }));
    }
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> task)
    {
        task.ToTable("FollowUpTasks");
        task.HasKey(t => t.Id);
        task.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        task.Property(t => t.Outcome).HasConversion<string>().HasMaxLength(10);
        task.Property(t => t.AssignedTo).HasMaxLength(256);
        task.Property(t => t.CreatedBy).HasMaxLength(256).IsRequired();
        task.Property(t => t.SettledBy).HasMaxLength(320);
        task.Property(t => t.Note).HasMaxLength(4_000);
        task.Ignore(t => t.IsOpen);
        task.HasOne<Ticket>().WithMany().HasForeignKey(t => t.TicketId).OnDelete(DeleteBehavior.Cascade);
        task.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // The "Follow-ups due" queue reads open tasks by due date; the scheduler asks whether a ticket has an open one.
        task.HasIndex(t => t.DueAt).HasFilter("\"Outcome\" IS NULL").HasDatabaseName("IX_FollowUpTasks_OpenByDue");
        task.HasIndex(t => new { t.TicketId, t.Outcome });
    }
}

internal sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> survey)
    {
        survey.ToTable("Surveys", t =>
        {
            foreach (var score in new[] { "OutcomeSatisfaction", "HandlingSatisfaction", "Intention", "Reliability", "Responsiveness", "Assurance", "Empathy", "Tangibles" })
                t.HasCheckConstraint($"CK_Surveys_{score}", $"\"{score}\" IS NULL OR \"{score}\" BETWEEN 1 AND 5");
        });
        survey.HasKey(s => s.Id);
        survey.Property(s => s.Language).HasMaxLength(10).IsRequired();
        survey.Property(s => s.TokenHash).HasMaxLength(64);
        survey.Property(s => s.Comment).HasMaxLength(SurveyAnswer.MaxCommentLength);
        survey.Ignore(s => s.IsAnswered);
        survey.HasIndex(s => s.TicketId).IsUnique(); // one survey, so one answer, per ticket
        survey.HasIndex(s => s.TokenHash).IsUnique();
        survey.HasIndex(s => s.SendAfter).HasFilter("\"SentAt\" IS NULL").HasDatabaseName("IX_Surveys_Unsent");
        survey.HasOne<Ticket>().WithMany().HasForeignKey(s => s.TicketId).OnDelete(DeleteBehavior.Cascade);
        survey.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
