<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<h2 id="verify-title"><?cs var:Msg.checkInboxTitle ?></h2>
<?cs if:Verify.Message ?><p class="message" role="alert" id="message"><?cs var:Verify.Message ?></p><?cs /if ?>
<p class="info" id="verify-text"><?cs var:Msg.verifyTo.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.verifyTo.1 ?><?cs if:Verify.Email ?> <?cs var:Msg.verifySentTo.0 ?><strong id="verify-email"><?cs var:Verify.Email ?></strong><?cs var:Msg.verifySentTo.1 ?><?cs /if ?></p>
<form method="post" action="<?cs var:Verify.Action ?>" id="resend">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<input type="hidden" name="pending" value="<?cs var:Verify.Pending ?>">
<button id="submit" type="submit"><?cs var:Msg.resendMessage ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
