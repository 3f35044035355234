using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PromotionVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "promo_promotion_versions",
                columns: table => new
                {
                    PromotionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_promotion_versions", x => new { x.PromotionId, x.Version });
                });

            // Promotions created before versions were kept: their current version is the first one kept.
            migrationBuilder.Sql(
                "INSERT INTO promo_promotion_versions (\"PromotionId\", \"Version\", \"WorkspaceId\", \"Name\", \"Definition\", \"CreatedAt\") "
                + "SELECT \"Id\", \"Version\", \"WorkspaceId\", \"Name\", \"Definition\", \"UpdatedAt\" FROM promo_promotions;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "promo_promotion_versions");
        }
    }
}
