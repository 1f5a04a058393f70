// RequestBudget: slots up to the capacity, a first-come line, wakes that come queued, tasks that
// leave the line or vanish without holding up the others.
#include "cos/transfer/requestbudget.h"

#include <QTest>

#include <memory>

using Cos::RequestBudget;

class TstRequestBudget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void takesUpToTheCapacity();
    void wakesTheFirstInLine();
    void lineIsFirstComeFirstServed();
    void withdrawingWakesTheNext();
    void deletedTaskDoesNotHoldTheLine();
};

void TstRequestBudget::takesUpToTheCapacity()
{
    RequestBudget budget(2);
    QObject a;
    int wakes = 0;
    QVERIFY(budget.take(&a, [&] { ++wakes; }));
    QVERIFY(budget.take(&a, [&] { ++wakes; }));
    QVERIFY(!budget.take(&a, [&] { ++wakes; }));
    QVERIFY(!budget.take(&a, [&] { ++wakes; })); // in line once, not twice
    QCOMPARE(budget.inUse(), 2);
    QCOMPARE(budget.waiting(), 1);
    QCOMPARE(budget.peak(), 2);
    QCOMPARE(RequestBudget(0).capacity(), 1);
}

void TstRequestBudget::wakesTheFirstInLine()
{
    RequestBudget budget(1);
    QObject a, b;
    int wakesB = 0;
    QVERIFY(budget.take(&a, [] {}));
    QVERIFY(!budget.take(&b, [&] { ++wakesB; }));
    budget.give();
    QCOMPARE(wakesB, 0); // queued, not called from inside give()
    QTRY_COMPARE(wakesB, 1);
    // Another task cannot jump the line while b has not taken its slot yet.
    QObject c;
    QVERIFY(!budget.take(&c, [] {}));
    QVERIFY(budget.take(&b, [] {}));
    QCOMPARE(budget.inUse(), 1);
    QCOMPARE(budget.waiting(), 1);
}

void TstRequestBudget::lineIsFirstComeFirstServed()
{
    RequestBudget budget(1);
    QObject holder, first, second;
    QList<int> order;
    QVERIFY(budget.take(&holder, [] {}));
    QVERIFY(!budget.take(&first, [&] { order.append(1); }));
    QVERIFY(!budget.take(&second, [&] { order.append(2); }));
    budget.give();
    QTRY_COMPARE(order, QList<int>({1}));
    QVERIFY(!budget.take(&second, [] {})); // not its turn
    QVERIFY(budget.take(&first, [] {}));
    budget.give();
    QTRY_COMPARE(order, QList<int>({1, 2}));
    QVERIFY(budget.take(&second, [] {}));
    QCOMPARE(budget.waiting(), 0);
}

void TstRequestBudget::withdrawingWakesTheNext()
{
    RequestBudget budget(1);
    QObject holder, first, second;
    int wakesSecond = 0;
    QVERIFY(budget.take(&holder, [] {}));
    QVERIFY(!budget.take(&first, [] {}));
    QVERIFY(!budget.take(&second, [&] { ++wakesSecond; }));
    budget.give();
    // The first in line was woken but stops instead of taking: the second must not wait forever.
    budget.withdraw(&first);
    QTRY_COMPARE(wakesSecond, 1);
    QVERIFY(budget.take(&second, [] {}));
}

void TstRequestBudget::deletedTaskDoesNotHoldTheLine()
{
    RequestBudget budget(1);
    QObject holder, second;
    int wakesSecond = 0;
    auto gone = std::make_unique<QObject>();
    int wakesGone = 0;
    QVERIFY(budget.take(&holder, [] {}));
    QVERIFY(!budget.take(gone.get(), [&] { ++wakesGone; }));
    QVERIFY(!budget.take(&second, [&] { ++wakesSecond; }));
    gone.reset();
    budget.give();
    QTRY_COMPARE(wakesSecond, 1);
    QCOMPARE(wakesGone, 0);
    QVERIFY(budget.take(&second, [] {}));
}

QTEST_GUILESS_MAIN(TstRequestBudget)
#include "tst_requestbudget.moc"
