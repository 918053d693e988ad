package ${{ values.basePackage }}.greeting

import kotlin.test.Test
import kotlin.test.assertEquals

class GreetingServiceTest {

    private val service = GreetingService()

    @Test
    fun `greets with the default salutation`() {
        assertEquals(Greeting(message = "Hello, Ada!", name = "Ada"), service.greet("Ada"))
    }

    @Test
    fun `uses the given salutation and trims input`() {
        assertEquals("Bonjour, Grace!", service.greet("  Grace ", " Bonjour ").message)
    }

    @Test
    fun `falls back to the default salutation when it is blank`() {
        assertEquals("Hello, Linus!", service.greet("Linus", "   ").message)
    }
}
