package ${{ values.basePackage }}

import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class SlugsTest {

    private val slugs = Slugs()

    @ParameterizedTest
    @CsvSource(
        "Hello World, hello-world",
        "'  Crème Brûlée Recipes! ', creme-brulee-recipes",
        "orders_service v2, orders-service-v2",
        "---already-a-slug---, already-a-slug",
    )
    fun `slugifies text`(text: String, expected: String) {
        assertEquals(expected, slugs.slugify(text))
    }

    @Test
    fun `cuts long slugs on a word boundary`() {
        assertEquals("alpha-beta", Slugs(maxLength = 12).slugify("alpha beta gamma"))
    }

    @Test
    fun `cuts a single long word at the limit`() {
        assertEquals("abcde", Slugs(maxLength = 5).slugify("abcdefgh"))
    }

    @Test
    fun `rejects text without letters or digits`() {
        val error = assertFailsWith<IllegalArgumentException> { slugs.slugify("!!! ???") }
        assertEquals("text must contain at least one letter or digit", error.message)
    }

    @Test
    fun `rejects a maxLength below one`() {
        assertFailsWith<IllegalArgumentException> { Slugs(maxLength = 0) }
    }

    @Test
    fun `recognises slugs`() {
        assertTrue(slugs.isSlug("orders-service"))
        assertFalse(slugs.isSlug("Orders Service"))
        assertFalse(slugs.isSlug("-leading"))
        assertFalse(Slugs(maxLength = 3).isSlug("abcd"))
    }
}
