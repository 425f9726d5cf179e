package dev.megacuration.analytics.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The read statements' binds become typed server-side parameters (RollupTest and the resource tests run them
 * against ClickHouse; this checks the rewriting itself, including a value that would break a literal).
 */
class StatementParametersTest {

    @Test
    void eachBindIsATypedParameterInItsPlace() {
        PublishedCellRepository.Statement sql = new PublishedCellRepository.Statement()
                .text("SELECT 1 WHERE tenant = ? AND (? = '' OR version = ?)").bind("acme").bind("").bind("")
                .text(" HAVING deployments >= ? LIMIT ? OFFSET ?").bind(5).bind(50).bind(100L);
        assertEquals("SELECT 1 WHERE tenant = {p1:String} AND ({p2:String} = '' OR version = {p3:String}) "
                + "HAVING deployments >= {p4:Int64} LIMIT {p5:Int64} OFFSET {p6:Int64}", sql.serverSideText());
        assertEquals(Map.of("p1", "acme", "p2", "", "p3", "", "p4", 5, "p5", 50, "p6", 100L), sql.parameters());
    }

    @Test
    void aValueIsNeverSqlText() {
        PublishedCellRepository.Statement sql = new PublishedCellRepository.Statement()
                .text("SELECT 1 WHERE bundle = ?").bind("x' OR 1 = 1 --");
        assertEquals("SELECT 1 WHERE bundle = {p1:String}", sql.serverSideText());
        assertEquals("x' OR 1 = 1 --", sql.parameters().get("p1"));
    }

    @Test
    void bindsAndPlaceholdersMustAgree() {
        assertThrows(IllegalStateException.class,
                () -> new PublishedCellRepository.Statement().text("a = ? AND b = ?").bind("x").serverSideText());
        assertThrows(IllegalStateException.class,
                () -> new PublishedCellRepository.Statement().text("a = ?").bind("x").bind("y").serverSideText());
        assertThrows(IllegalArgumentException.class,
                () -> new PublishedCellRepository.Statement().text("a = ?").bind(1.5).serverSideText());
    }
}
