import Foundation
import HuddleLoop
import Testing

@Suite struct WakeupTests {
    struct Item: Hashable {
        let thread: Int
        let index: Int
    }

    @Test func sendsFromFourThreadsAreDeliveredExactlyOnceInPerThreadOrder() throws {
        let loop = try EventLoop()
        let threads = 4
        let itemsPerThread = 1000
        var received: [Item] = []
        var wakeup: Wakeup<Item>?
        wakeup = try Wakeup<Item>(loop: loop) { items in
            received.append(contentsOf: items)
            if received.count >= threads * itemsPerThread {
                wakeup?.close()
            }
        }
        let sender = wakeup!
        for thread in 0..<threads {
            Thread {
                for index in 0..<itemsPerThread {
                    sender.send(Item(thread: thread, index: index))
                }
            }.start()
        }
        #expect(runUntilIdle(loop))
        #expect(received.count == threads * itemsPerThread)
        #expect(Set(received).count == threads * itemsPerThread)
        for thread in 0..<threads {
            #expect(received.filter { $0.thread == thread }.map(\.index) == Array(0..<itemsPerThread))
        }
    }

    @Test func sendAfterCloseIsIgnored() throws {
        let loop = try EventLoop()
        var handled = 0
        let wakeup = try Wakeup<Int>(loop: loop) { handled += $0.count }
        wakeup.close()
        wakeup.send(1)
        wakeup.close()
        #expect(runUntilIdle(loop))
        #expect(handled == 0)
    }
}
