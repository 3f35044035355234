using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PromotionChangeCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "promo_change_counters",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Changes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_change_counters", x => x.WorkspaceId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "promo_change_counters");
        }
    }
}
