using FluentMigrator;
using Network.Storage;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// The citizens' polls: polls and their options, proposals, votes, ratings and moderation records. Votes and ratings are
/// kept against a pseudonym (<see cref="Pseudonyms"/>), never an account's id or name; their primary keys (poll, pseudonym)
/// and (proposal, pseudonym) are what makes "one voice per account" hold when two requests race. After a poll closes its
/// votes and ratings are folded into the counts on <c>poll_options</c> and <c>poll_proposals</c> and deleted
/// (<see cref="PollStore.CloseDueAsync"/>).
/// </summary>
[Migration(2026120760, "Polls")]
public sealed class PollTables : ServiceMigration
{
    public override void Up()
    {
        Create.Table("polls")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("title_nl").AsString().NotNullable()
            .WithColumn("title_fr").AsString().NotNullable()
            .WithColumn("title_en").AsString().NotNullable()
            .WithColumn("description_nl").AsString().NotNullable()
            .WithColumn("description_fr").AsString().NotNullable()
            .WithColumn("description_en").AsString().NotNullable()
            .WithColumn("opens_ms").AsInt64().NotNullable()
            .WithColumn("closes_ms").AsInt64().NotNullable().Indexed("polls_closes")
            .WithColumn("proposals_until_ms").AsInt64().Nullable()
            .WithColumn("results_while_open").AsBoolean().NotNullable()
            .WithColumn("requires_online").AsBoolean().NotNullable()
            .WithColumn("created_ms").AsInt64().NotNullable()
            .WithColumn("updated_ms").AsInt64().NotNullable()
            .WithColumn("counted").AsBoolean().NotNullable().WithDefaultValue(false);

        Create.Table("poll_options")
            .WithColumn("poll_id").AsInt64().NotNullable().PrimaryKey().ForeignKey("poll_options_poll_fk", "polls", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("option_key").AsString().NotNullable().PrimaryKey()
            .WithColumn("position").AsInt32().NotNullable()
            .WithColumn("label_nl").AsString().NotNullable()
            .WithColumn("label_fr").AsString().NotNullable()
            .WithColumn("label_en").AsString().NotNullable()
            .WithColumn("counted_votes").AsInt64().NotNullable().WithDefaultValue(0);

        Create.Table("poll_votes")
            .WithColumn("poll_id").AsInt64().NotNullable().PrimaryKey().ForeignKey("poll_votes_poll_fk", "polls", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("pseudonym").AsString().NotNullable().PrimaryKey().Indexed("poll_votes_pseudonym")
            .WithColumn("option_key").AsString().NotNullable()
            .WithColumn("voted_ms").AsInt64().NotNullable();

        Create.Table("poll_proposals")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("poll_id").AsInt64().NotNullable().Indexed("poll_proposals_poll").ForeignKey("poll_proposals_poll_fk", "polls", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("pseudonym").AsString().Nullable().Indexed("poll_proposals_pseudonym")
            .WithColumn("proposer_name").AsString().Nullable()
            .WithColumn("name").AsString().NotNullable()
            .WithColumn("commune").AsString().NotNullable()
            .WithColumn("address").AsString().NotNullable()
            .WithColumn("latitude").AsDouble().Nullable()
            .WithColumn("longitude").AsDouble().Nullable()
            .WithColumn("why").AsString().NotNullable()
            .WithColumn("option_key").AsString().Nullable()
            .WithColumn("state").AsString().NotNullable()
            .WithColumn("merged_into").AsInt64().Nullable()
            .WithColumn("submitted_ms").AsInt64().NotNullable()
            .WithColumn("counted_ratings").AsInt64().NotNullable().WithDefaultValue(0)
            .WithColumn("counted_hearts").AsInt64().NotNullable().WithDefaultValue(0);

        Create.Table("poll_ratings")
            .WithColumn("proposal_id").AsInt64().NotNullable().PrimaryKey()
                .ForeignKey("poll_ratings_proposal_fk", "poll_proposals", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("pseudonym").AsString().NotNullable().PrimaryKey().Indexed("poll_ratings_pseudonym")
            .WithColumn("poll_id").AsInt64().NotNullable()
            .WithColumn("hearts").AsInt32().NotNullable()
            .WithColumn("rated_ms").AsInt64().NotNullable();

        // The results read a poll's ratings grouped by proposal: this index holds all they need, in that order.
        Create.Index("poll_ratings_poll").OnTable("poll_ratings")
            .OnColumn("poll_id").Ascending().OnColumn("proposal_id").Ascending().OnColumn("hearts").Ascending();

        Create.Table("poll_moderation")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("proposal_id").AsInt64().NotNullable().Indexed("poll_moderation_proposal")
                .ForeignKey("poll_moderation_proposal_fk", "poll_proposals", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("action").AsString().NotNullable()
            .WithColumn("moderator").AsString().NotNullable()
            .WithColumn("at_ms").AsInt64().NotNullable()
            .WithColumn("merge_into").AsInt64().Nullable()
            .WithColumn("reason").AsString().Nullable()
            .WithColumn("note").AsString().Nullable();

        // "Has this account been online at least once": the accounting's sessions by user name, without regard to case.
        Execute.Sql("CREATE INDEX sessions_by_user ON sessions (lower(username));");
    }
}
