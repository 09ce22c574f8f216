using Desk.Domain.Tickets;
using Desk.Web.Features.Drafts;
using Desk.Web.Features.Signatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class ReplyDraftConfiguration : IEntityTypeConfiguration<ReplyDraft>
{
    public void Configure(EntityTypeBuilder<ReplyDraft> draft)
    {
        draft.ToTable("ReplyDrafts");
        draft.HasKey(d => d.Id);
        draft.Property(d => d.Agent).HasMaxLength(256).IsRequired();
        draft.Property(d => d.Text).IsRequired();
        draft.HasOne<Ticket>().WithMany().HasForeignKey(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        draft.HasIndex(d => new { d.TicketId, d.Agent }).IsUnique(); // one per agent and ticket, whichever desk saves it
    }
}

internal sealed class AgentSignatureConfiguration : IEntityTypeConfiguration<AgentSignature>
{
    public void Configure(EntityTypeBuilder<AgentSignature> signature)
    {
        signature.ToTable("AgentSignatures");
        signature.HasKey(s => s.Agent);
        signature.Property(s => s.Agent).HasMaxLength(256);
        signature.Property(s => s.Text).HasMaxLength(AgentSignature.MaxLength).IsRequired();
    }
}
