package ${{ values.basePackage }}.greeting

import ${{ values.basePackage }}.features.Features
import ${{ values.basePackage }}.features.inMemoryFeatures
import kotlin.test.Test
import kotlin.test.assertEquals

class GreetingServiceTest {

    private val service = GreetingService(inMemoryFeatures(Features.GREETING_SHOUT to false))

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

    @Test
    fun `shouts when greeting-shout is on`() {
        val shouting = GreetingService(inMemoryFeatures(Features.GREETING_SHOUT to true))
        assertEquals(Greeting(message = "HELLO, ADA!", name = "Ada"), shouting.greet("Ada"))
    }

    @Test
    fun `does not shout when the flag is not defined`() {
        assertEquals("Hello, Ada!", GreetingService(inMemoryFeatures()).greet("Ada").message)
    }
}
